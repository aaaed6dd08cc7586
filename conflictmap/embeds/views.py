"""/embed/<slug>/ and /embed/?…: a map made to sit in an article's iframe (minimal chrome, no
cookies, framed by any origin EMBED_FRAME_ANCESTORS allows); /oembed/: the oEmbed provider."""

import datetime as dt
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import api_view, content_negotiation_class
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from conflictmap.atlas import outlines
from conflictmap.atlas.models import Theatre
from conflictmap.embeds import oembed as provider
from conflictmap.embeds import social
from conflictmap.embeds.codes import public_origin
from conflictmap.embeds.framing import frameable
from conflictmap.embeds.models import MapView
from conflictmap.http.errors import FormatIsAParameter
from conflictmap.http.queries import parse
from conflictmap.territory.models import LayerSnapshot
from conflictmap.territory.serve.citable import citable, corrected_since, latest_date

API = "/api/v1/"  # the read API's root, as the pages' scripts are given it (data-api)


def page_context(request, theatre: Theatre, state: dict, card: dict | None, **words) -> dict:
    """What the embed template needs: the view as URL state (url-state.js decodes it), the full
    map's address for the same view, its social image, the oEmbed discovery link, and the date
    it shows first with the API answers that date's first paint waits on."""
    shown, preloads = first_requests(theatre, state)
    return {
        "theatre": theatre, "state": urlencode(state), "site_name": settings.SITE_NAME,
        "full_map": f"{reverse('theatre', args=[theatre.slug])}{'?' + urlencode(state) if state else ''}",
        "api": API, "shown": shown, "preloads": preloads, "leaflet": leaflet_options(theatre),
        **social.page_meta(request, card), **words,
    }  # fmt: skip


def leaflet_options(theatre: Theatre) -> dict:
    """The map's tiles and zoom limits for the map and embed pages, whose map-page.js makes the
    map itself (django-leaflet's template tags, which the admin's maps keep, would add 4 KB of
    extras an embed does not use), from the same settings.LEAFLET_CONFIG; and the offline
    basemap: the hand-made neighbours of Syria's region, or the countries around the theatre."""
    config = settings.LEAFLET_CONFIG
    name, url, options = config["TILES"][0] if config["TILES"] else ("", "", {"attribution": ""})
    return {"tile_url": url, "tile_attribution": options["attribution"], "min_zoom": config["MIN_ZOOM"],
            "max_zoom": config["MAX_ZOOM"], "attribution_prefix": config["ATTRIBUTION_PREFIX"],
            "basemap": outlines.basemap_url(theatre.slug, theatre.boundary)}  # fmt: skip


def first_requests(theatre: Theatre, state: dict) -> tuple[dt.date | None, list[str]]:
    """The date the embed shows first (the view's, its range's last, or the latest) and the two
    answers its first paint waits on, for <link rel=preload> to fetch with the page rather than
    after the scripts: the timeline of its dates and the small country view of that date's layer. The
    URLs are those map-page.js builds (test_browser_embeds checks that none is fetched twice)."""
    try:
        build = citable(theatre.pk, int(state["build"])) if "build" in state else None
        named = {name: dt.date.fromisoformat(state[name]) for name in ("date", "from", "to") if name in state}
    except ValueError:  # a malformed address: the page says so itself, as the full map does
        return None, []
    if "build" in state and build is None:
        return None, []
    shown = named.get("date") or named.get("to") or latest_date(theatre.pk, build)
    if shown is None:
        return None, []
    pin = {"build": state["build"]} if build else {}
    window = {"from": str(named.get("from", shown)), "to": str(named.get("to", shown))}
    urls = [f"{API}timeline/?{urlencode({'theatre': theatre.slug, **pin, **window})}"]
    snapshots = LayerSnapshot.objects.filter(build=build) if build else LayerSnapshot.objects.filter(
        build__theatre=theatre, build__is_current=True)  # fmt: skip
    if (key := snapshots.covering(shown).values_list("valid_from", flat=True).first()) is not None:
        query = {"theatre": theatre.slug, "date": str(key), **pin, "detail": "small"}  # its first paint's
        urls.append(f"{API}control/?{urlencode(query)}")
    return shown, urls


@frameable
def embed(request, slug: str):
    view = get_object_or_404(MapView.objects.select_related("theatre", "build"), slug=slug)
    with translation.override(view.language):  # the saved view's language, whatever the page's default
        return render(request, "embeds/embed.html", page_context(
            request, view.theatre, view.state(), social.view_card(view), title=view.title, caption=view.caption,
            credit=view.credit, citation=citation_of(view),
        ))  # fmt: skip


def citation_of(view: MapView) -> dict | None:
    """For a view pinned to a build: its number, when it was made, and whether the map of the
    view's dates has been corrected since (the embed then says so and links the corrections log)."""
    if view.build is None:
        return None
    dates = view.dates_shown()
    return {"number": view.build.version, "made": view.build.created_at,
            "corrected": corrected_since(view.build, dates)}  # fmt: skip


@frameable
def embed_adhoc(request):
    """An embed of any state of the full map: /embed/?theatre=syria&date=…&view=… (the share control's)."""
    slug = request.GET.get("theatre") or settings.DEFAULT_THEATRE
    theatre = Theatre.objects.filter(slug=slug).first()
    if theatre is None:
        raise Http404(f"No theatre {slug!r}.")
    state = provider.state_of(request.GET)
    card = social.card_query(theatre, state, theatre.name)
    return render(request, "embeds/embed.html", page_context(request, theatre, state, card, title=theatre.name))


class OembedQuery(serializers.Serializer):
    # Not a URLField: an intranet host without a dot ("maps", "testserver") is an address too.
    url = serializers.CharField(max_length=2000, help_text="A page of this site: the map (/?…) or an embed (/embed/…).")
    maxwidth = serializers.IntegerField(required=False, min_value=1, max_value=10_000)
    maxheight = serializers.IntegerField(required=False, min_value=1, max_value=10_000)
    format = serializers.CharField(required=False, default="json", help_text="json (xml is not offered: 501).")

    def validate_url(self, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise serializers.ValidationError("Give the full address of a page, starting with http:// or https://.")
        return value


OEMBED = inline_serializer("Oembed", {
    "version": serializers.CharField(), "type": serializers.CharField(), "provider_name": serializers.CharField(),
    "provider_url": serializers.URLField(), "title": serializers.CharField(), "html": serializers.CharField(),
    "responsive_html": serializers.CharField(help_text="Not in the specification: a responsive iframe and the "
                                             "script that sizes it (embed-resize.js)."),
    "width": serializers.IntegerField(), "height": serializers.IntegerField(), "cache_age": serializers.IntegerField(),
    "thumbnail_url": serializers.URLField(required=False, help_text="The view's card (a 1200×630 PNG), when "
                                          "maxwidth and maxheight allow that size."),
    "thumbnail_width": serializers.IntegerField(required=False),
    "thumbnail_height": serializers.IntegerField(required=False),
})  # fmt: skip


@extend_schema(
    parameters=[OembedQuery],
    responses={200: OEMBED, 501: OpenApiResponse(description="A format other than json.")},
    summary="oEmbed: the iframe HTML of one of this site's maps, sized within maxwidth and maxheight",
)
@api_view(["GET"])
@content_negotiation_class(FormatIsAParameter)
def oembed(request):
    query = parse(OembedQuery, request.query_params)
    if query["format"] != "json":
        return Response({"error": "Only format=json is offered."}, status=status.HTTP_501_NOT_IMPLEMENTED)
    found = provider.embeddable(query["url"], request.get_host())
    if found is None:
        raise NotFound("That URL is not a map of this site.")
    return Response(provider.answer(found, public_origin(request), query.get("maxwidth"), query.get("maxheight")))
