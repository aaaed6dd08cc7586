"""The HTML a newsroom pastes into an article: a fixed-size iframe, or a responsive one with
the height helper (frontend/js/embed-resize.js). One place, for the admin's embed code and the
oEmbed answer (which the public map's share control asks for: share.js)."""

from html import escape

from django.conf import settings
from django.templatetags.static import static


def public_origin(request) -> str:
    """Where readers reach this site (PUBLIC_URL; else the address this request came to)."""
    return settings.PUBLIC_URL or f"{request.scheme}://{request.get_host()}"


def fixed(src: str, title: str, width: int, height: int) -> str:
    return (f'<iframe src="{escape(src)}" width="{width}" height="{height}" title="{escape(title)}" '
            'style="border:0;max-width:100%" loading="lazy"></iframe>')  # fmt: skip


def responsive(src: str, title: str, origin: str) -> str:
    return (f'<iframe src="{escape(src)}" title="{escape(title)}" data-conflictmap-resize '
            'style="border:0;width:100%;height:500px" loading="lazy"></iframe>\n'
            f'<script src="{escape(origin + static("frontend/js/embed-resize.js"))}" async></script>')  # fmt: skip
