"""Which pages may be framed. Every page refuses (X-Frame-Options: DENY and CSP
frame-ancestors 'none', from settings); a page meant for articles opens itself to the origins
of EMBED_FRAME_ANCESTORS, read when it answers, so a deployment (or a test) can change them."""

from functools import wraps

from django.conf import settings
from django.views.decorators.clickjacking import xframe_options_exempt


def frameable(view):
    @wraps(view)
    @xframe_options_exempt
    def framed(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._csp_replace = {"frame-ancestors": settings.EMBED_FRAME_ANCESTORS}  # read by django-csp
        return response

    return framed
