"""One JSON error shape for the whole API: {"error": "<sentence>", "details": {...}}.

Newsroom developers read these messages in their consoles, so they say what to send instead.
"""

from rest_framework import exceptions
from rest_framework.views import exception_handler


def api_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError) and isinstance(exc.detail, dict):
        problems = "; ".join(f"{field}: {' '.join(map(str, msgs))}" for field, msgs in exc.detail.items())
        response.data = {"error": f"Invalid query parameters. {problems}", "details": exc.detail}
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        response.data = {"error": str(detail)}
    return response
