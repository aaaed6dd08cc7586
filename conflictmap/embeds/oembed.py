"""The oEmbed provider (https://oembed.com/): a page of ours (the full map or an embed) given as
`url` becomes the iframe HTML that shows it, sized within the consumer's maxwidth/maxheight.

The specification's answers: a `rich` type, 404 for a URL that is not ours, 501 for a format
other than JSON (XML is optional and not offered)."""

from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import QueryDict
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from conflictmap.atlas.models import Theatre
from conflictmap.embeds import codes, social
from conflictmap.embeds.models import MapView

WIDTH, HEIGHT = 800, 560  # an embed's size when the consumer sets no limit: a landscape figure
MIN_WIDTH, MIN_HEIGHT = 300, 250  # the smallest the embed page is designed for
WIDE, HIGH = social.WIDTH, social.HEIGHT  # the card's size, given as the thumbnail's


@dataclass(frozen=True)
class Embeddable:
    """What a URL of ours shows, as an embed: its address (path and query), its title, and its
    card's parameters (embeds/social.py; None when there is no layer to draw yet)."""

    path: str
    title: str
    card: dict | None


def embeddable(url: str, host: str) -> Embeddable | None:
    """The embed a URL of this site names, or None if it is not ours or shows no map."""
    parts = urlsplit(url)
    if not parts.scheme or not url_has_allowed_host_and_scheme(url, allowed_hosts={host}):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    query = QueryDict(parts.query)
    if match.url_name == "embed":
        view = MapView.objects.filter(slug=match.kwargs["slug"]).first()
        return Embeddable(view.get_absolute_url(), view.title, social.view_card(view)) if view else None
    if match.url_name not in ("index", "theatre", "embed-adhoc"):
        return None
    slug = match.kwargs.get("slug") or query.get("theatre") or settings.DEFAULT_THEATRE
    named = "theatre" in query or "slug" in match.kwargs
    theatre = Theatre.objects.filter(slug=slug).first() or (None if named else Theatre.objects.first())
    if theatre is None:
        return None
    state = state_of(query)
    path = f"{reverse('embed-adhoc')}?{urlencode({'theatre': theatre.slug, **state})}"
    return Embeddable(path, theatre.name, social.card_query(theatre, state, theatre.name))


def state_of(query) -> dict[str, str]:
    """The URL state an address carries (url-state.js's names), without the theatre."""
    return {name: value for name, value in query.items() if name != "theatre" and value}


def fitted(max_width: int | None, max_height: int | None) -> tuple[int, int]:
    """The default size, scaled down (keeping its proportions) to fit the consumer's limits,
    but never below the smallest the page is made for (a limit below that is honoured as is)."""
    scale = min(1.0, (max_width or WIDTH) / WIDTH, (max_height or HEIGHT) / HEIGHT)
    width, height = round(WIDTH * scale), round(HEIGHT * scale)
    if width < MIN_WIDTH and (max_width or WIDTH) >= MIN_WIDTH:
        width = MIN_WIDTH
    if height < MIN_HEIGHT and (max_height or HEIGHT) >= MIN_HEIGHT:
        height = MIN_HEIGHT
    return width, height


def answer(embed: Embeddable, origin: str, max_width: int | None, max_height: int | None) -> dict:
    width, height = fitted(max_width, max_height)
    return {
        "version": "1.0",
        "type": "rich",
        "provider_name": settings.SITE_NAME,
        "provider_url": f"{origin}/",
        "title": embed.title,
        "html": codes.fixed(f"{origin}{embed.path}", embed.title, width, height),
        # Ours, beside the specification's fields: the iframe whose height follows its width.
        "responsive_html": codes.responsive(f"{origin}{embed.path}", embed.title, origin),
        "width": width,
        "height": height,
        "cache_age": 3600,
        # The view's card, where the consumer's limits allow its size (the specification asks so).
        **(thumbnail(embed, origin) if (max_width or WIDE) >= WIDE and (max_height or HIGH) >= HIGH else {}),
    }


def thumbnail(embed: Embeddable, origin: str) -> dict:
    url = social.card_url(origin, embed.card)
    return {"thumbnail_url": url, "thumbnail_width": WIDE, "thumbnail_height": HIGH} if url else {}
