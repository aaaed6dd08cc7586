"""A 400, not a 500, for control characters in a request's parameters.

PostgreSQL cannot store or compare text with a NUL byte in it (psycopg refuses to send one), so a
`theatre=%00` reached the database as an error; other control characters are never part of a
slug, a date, a number or a search a person types. Refused here, once, for every view: the
message names the parameter and the character, as the API's other errors do.
"""

import re

from django.http import HttpResponseBadRequest, JsonResponse

CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class RefuseControlCharacters:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        for name, values in request.GET.lists():
            for text in (name, *values):
                if found := CONTROL.search(text):
                    return refusal(request, name, found.group())
        return self.get_response(request)


def refusal(request, name: str, character: str):
    message = f"Query parameter {name!r} holds a control character (U+{ord(character):04X}): leave it out."
    if request.path.startswith(("/api/", "/oembed/")):  # where clients expect the API's JSON errors
        return JsonResponse({"error": message}, status=400)
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
