"""GET /api/v1/control/: the built layer of a theatre at a date, sent as stored."""

import datetime as dt
import re
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.views import APIView

from conflictmap.atlas.api import theatre_or_404
from conflictmap.atlas.models import Theatre
from conflictmap.http.queries import TheatreQuery, parse
from conflictmap.territory.build.overview import OVERVIEW_ETAG_SUFFIX, SMALL_ETAG_SUFFIX
from conflictmap.territory.serve.drafts import preview_geojson
from conflictmap.territory.serve.layer_cache import FULL, OVERVIEW, SMALL, Layer, layers

BUILD_HELP = (
    "A build's number: as that build published it (a pinned build, cited by a saved view, or the "
    "current one). Its answers never change (Cache-Control: immutable)."
)


class BuildQuery(TheatreQuery):
    build = serializers.IntegerField(required=False, min_value=1, max_value=2**62, help_text=BUILD_HELP)


def current_or_pinned(query: dict):
    """The theatre's layers readers get: the current ones, or those of the build `query` names
    (404 if it is not kept)."""
    if "build" not in query:
        return layers.theatre(query["theatre"])
    current = layers.pinned(query["theatre"], query["build"])
    if current is None:
        theatre_or_404(query["theatre"])
        raise exceptions.NotFound(f"No build {query['build']} of {query['theatre']} is kept: it was not cited.")
    return current


class ControlQuery(BuildQuery):
    date = serializers.DateField(help_text="YYYY-MM-DD. Any date from the theatre's start date on.")
    detail = serializers.ChoiceField(
        [FULL, OVERVIEW, SMALL],
        default=FULL,
        help_text="full: every vertex. overview: generalised for a whole-country map about 600 pixels "
        "across (no gaps or overlaps between controllers); small: for one about 300 pixels across (an "
        "embed in an article's column, a phone). Areas stay the full layer's.",
    )


def matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 weak comparison: `*`, or any listed tag equal to ours with or without W/."""
    if not if_none_match:
        return False
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


IMMUTABLE = "public, max-age=31536000, immutable"


def serve(request, layer: Layer, immutable: bool = False) -> HttpResponse:
    """The stored bytes with their validators: 304 on a matching ETag, gzip when accepted.
    `immutable`: a URL whose bytes never change (a build's number or a content hash in it)."""
    etag = f'"{layer.etag}"'
    # request.META rather than request.headers: the latter parses every header on first use.
    if matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
        response = HttpResponse(status=304)
    elif "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", ""):
        response = HttpResponse(layer.gzipped, content_type="application/geo+json")
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(layer.payload, content_type="application/geo+json")
    response["ETag"] = etag
    response["Vary"] = "Accept-Encoding"
    response["Cache-Control"] = IMMUTABLE if immutable else f"public, max-age={settings.LAYER_MAX_AGE}"
    return response


@extend_schema(
    parameters=[ControlQuery],
    responses={
        (200, "application/geo+json"): OpenApiResponse(
            OpenApiTypes.OBJECT, description="GeoJSON FeatureCollection, one feature per controller."
        ),
        304: OpenApiResponse(description="Not modified (If-None-Match matched the ETag)."),
        400: OpenApiResponse(description="Malformed parameters."),
        404: OpenApiResponse(description="Unknown theatre, a date before its start, or no layer built yet."),
    },
)
class ControlView(APIView):
    def get(self, request):
        """Who controls what in a theatre on a date: one dissolved (Multi)Polygon per controller.

        Properties: faction (slug, null for "no data"), name, short_name, color, kind, area_km2,
        gained_km2 and lost_km2 (against the previous interval), valid_from and valid_to (the
        half-open interval [valid_from, valid_to) during which this layer holds; valid_to null
        means until further notice).
        """
        query = parse(ControlQuery, request.query_params)
        if "build" in query:
            current = current_or_pinned(query)
            layer = layers.layer_at(current, query["date"], query["detail"])
        else:
            current, layer = layers.layer_for(query["theatre"], query["date"], query["detail"])
        if current is None:
            theatre_or_404(query["theatre"])  # raises with the list of known theatres
        theatre, date = current.theatre, query["date"]
        if date < theatre.start_date:
            raise exceptions.NotFound(
                f"No map of {theatre.name} before {theatre.start_date:%Y-%m-%d}, the start of its record."
            )
        if layer is None:
            raise exceptions.NotFound(f"No published control layer of {theatre.name} covers {date:%Y-%m-%d} yet.")
        return serve(request, layer, immutable="build" in query)


ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_documented_view = ControlView.as_view()


@csrf_exempt  # read-only and without sessions, as DRF's own views are: a POST gets its 405
def control(request):
    """GET /api/v1/control/: the hottest path of the app, served without DRF's per-request work.

    Well-formed requests for a built layer are answered here; everything else (errors, other
    methods) goes to ControlView, the one place that words errors and the one drf-spectacular
    documents (through `cls` below). Measured with bench-quick: 67% of the bare-Django
    throughput through ControlView alone.
    """
    # parse_qsl rather than request.GET: building a QueryDict was a tenth of the hit's time.
    params = dict(parse_qsl(request.META.get("QUERY_STRING", "")))
    raw_date, detail = params.get("date", ""), params.get("detail", FULL)
    if (
        request.method == "GET"
        and ISO_DATE.fullmatch(raw_date)
        and detail in (FULL, OVERVIEW, SMALL)
        and "build" not in params
    ):
        try:
            date = dt.date.fromisoformat(raw_date)
        except ValueError:
            date = None
        current = layers.theatre(params.get("theatre", "")) if date else None
        if current and date and date >= current.theatre.start_date:
            layer = layers.layer_at(current, date, detail)
            if layer is not None:
                response = serve(request, layer)
                if detail != FULL and not layer.etag.endswith((OVERVIEW_ETAG_SUFFIX, SMALL_ETAG_SUFFIX)):
                    # The full head, until its country view is made (layer_cache): right but
                    # heavier, so browsers and CDNs ask again rather than keep it for a minute.
                    response["Cache-Control"] = "public, no-cache"
                return response
    return _documented_view(request)


control.cls = ControlView  # type: ignore[attr-defined]  # read by drf-spectacular's endpoint enumerator
control.initkwargs = {}  # type: ignore[attr-defined]


class BuildPayloadView(APIView):
    """A payload stored with the current build, sent as stored with an ETag (subclasses name it)."""

    field = ""

    def get(self, request):
        query = parse(BuildQuery, request.query_params)
        current = current_or_pinned(query)
        if current is None:
            theatre_or_404(query["theatre"])
        layer = layers.build_payload(current.build[0] if current.build else None, self.field)
        if layer is None and "build" not in query:  # the cached CurrentLayers may name a build replaced since
            current = layers.theatre(query["theatre"], fresh=True)
            layer = layers.build_payload(current.build[0] if current and current.build else None, self.field)
        if layer is None:
            raise exceptions.NotFound(f"No layers of {query['theatre']} have been built yet.")
        version = request.query_params.get("v")
        if version and version != layer.etag:
            raise exceptions.NotFound("That version has been replaced: take the current URL from /api/v1/timeline/.")
        # A content-hashed URL (from /timeline/) or a build's number: its bytes never change.
        response = serve(request, layer, immutable=bool(version) or "build" in query)
        response["Content-Type"] = "application/json" if self.field == "history_json" else "application/geo+json"
        return response


def versioned_url(view: str, slug: str, build: tuple[int, int] | None, field: str, pinned: bool = False) -> str | None:
    """The content-hashed URL of a build payload, which browsers and CDNs may cache for good
    (`pinned`: naming the build's number, as a citation's requests do)."""
    if (layer := layers.build_payload(build[0] if build else None, field)) is None:
        return None
    number = {"build": build[1]} if pinned and build else {}
    return f"{reverse(view)}?{urlencode({'theatre': slug, **number, 'v': layer.etag})}"


@extend_schema(parameters=[BuildQuery], responses={(200, "application/geo+json"): OpenApiTypes.OBJECT})
class PiecesView(BuildPayloadView):
    """The pieces every control change is made of, for drawing: a FeatureCollection generalised
    for maps below zoom 9 (pieces too small to see there merge into their neighbours and are
    left out); feature `id` is the drawn piece's number. Fetched once; with /history/ a client
    can show any date without another request. With `v` (the URL /timeline/ gives), it is immutable."""

    field = "pieces_geojson"


@extend_schema(parameters=[BuildQuery], responses={200: OpenApiTypes.OBJECT})
class HistoryView(BuildPayloadView):
    """Who holds each drawn piece, date by date: `controllers` (faction, name, short_name,
    color), `initial` (a controller index per piece: "no data" before the baseline) and
    `steps`, one per date where control changes, each with `moves` (piece, controller index,
    ...), `areas` (each controller's km² from that date, counting every piece, drawn or not),
    and `gained` and `lost` (controller index, km², ...)."""

    field = "history_json"


@never_cache
def control_preview(request):
    """GET /api/v1/control/preview/?theatre=syria&date=2019-01-05: the layer of that date with
    the drafts and the changes in review, for staff only, never cached (territory.serve.drafts). Not
    in the OpenAPI schema: it is no part of the public API."""
    if not (request.user.is_authenticated and request.user.is_staff):
        return JsonResponse({"error": "The preview with drafts is for editors: log in to the admin first."}, status=403)
    theatre = Theatre.objects.filter(slug=request.GET.get("theatre", "")).first()
    if theatre is None:
        return JsonResponse({"error": f"Unknown theatre {request.GET.get('theatre', '')!r}."}, status=404)
    try:
        date = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return JsonResponse({"error": "Give the date as date=YYYY-MM-DD."}, status=400)
    return HttpResponse(preview_geojson(theatre, date), content_type="application/json")
