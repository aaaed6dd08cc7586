"""Gzip for the API's JSON answers (event lists, timelines, event points: often tens of KB).

Only under /api/: HTML pages carry CSRF tokens, and compressing secrets next to text a reader
controls invites BREACH. Layers arrive here already gzipped (territory/api.py serve) and pass
through untouched, as GZipMiddleware leaves any response with a Content-Encoding alone.
"""

from django.middleware.gzip import GZipMiddleware


class ApiGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith("/api/"):
            return response
        return super().process_response(request, response)
