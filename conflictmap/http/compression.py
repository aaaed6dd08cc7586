"""Gzip for the API's JSON answers (event lists, timelines, event points: often tens of KB).

Only under /api/: HTML pages carry CSRF tokens, and compressing secrets next to text a reader
controls invites BREACH. Layers arrive here already gzipped (territory/serve/api.py serve) and pass
through untouched, as GZipMiddleware leaves any response with a Content-Encoding alone; so do
images (cards/api.py).
"""

from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.utils.cache import patch_vary_headers


class ApiGZipMiddleware(GZipMiddleware):
    def process_response(self, request, response):
        if not request.path.startswith("/api/") or response.has_header("Content-Encoding"):
            return response
        if response.get("Content-Type", "").startswith("image/"):  # cards: PNG is compressed already
            return response
        if not re_accepts_gzip.search(request.META.get("HTTP_ACCEPT_ENCODING", "")):
            # What GZipMiddleware does here too, but without first joining the body to measure
            # it: a layer with every vertex is megabytes, copied on every request for nothing.
            patch_vary_headers(response, ("Accept-Encoding",))
            return response
        return super().process_response(request, response)
