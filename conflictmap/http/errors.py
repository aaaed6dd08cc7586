"""One JSON error shape for the whole API: {"error": "<sentence>", "details": {...}}.

Newsroom developers read these messages in their consoles, so they say what to send instead.
"""

from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.views import exception_handler


class JsonOnlyNegotiation(DefaultContentNegotiation):
    """Honour Accept and ?format= where a renderer matches; otherwise answer with the first
    renderer (JSON) instead of a 406, so `Accept: application/geo+json` or a browser works."""

    def select_renderer(self, request, renderers, format_suffix=None):
        try:
            return super().select_renderer(request, renderers, format_suffix)
        except exceptions.NotAcceptable:
            return renderers[0], renderers[0].media_type


class FormatIsAParameter(JsonOnlyNegotiation):
    """For endpoints whose own `format` parameter names what to answer (oEmbed's json/xml, a
    download's csv/gpkg), not REST framework's renderer switch (which would answer 404 for
    format=csv): the view decides; errors are JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


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
