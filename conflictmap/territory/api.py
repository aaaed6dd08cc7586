"""GET /api/v1/control/: the built layer of a theatre at a date, sent as stored."""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view

from conflictmap.atlas.models import Theatre
from conflictmap.territory.models import LayerSnapshot
from conflictmap.web.queries import TheatreQuery, parse, theatre_or_404


class ControlQuery(TheatreQuery):
    date = serializers.DateField(help_text="YYYY-MM-DD. Any date from the theatre's start date on.")


def snapshot_at(theatre: Theatre, date: dt.date) -> LayerSnapshot | None:
    """The current build's snapshot whose [valid_from, valid_to) contains `date`."""
    return (
        LayerSnapshot.objects.filter(build__theatre=theatre, build__is_current=True, valid_from__lte=date)
        .filter(Q(valid_to__gt=date) | Q(valid_to__isnull=True))
        .only("geojson", "etag")
        .first()
    )


def matches(if_none_match: str, etag: str) -> bool:
    """RFC 9110 weak comparison: `*`, or any listed tag equal to ours with or without W/."""
    tags = [tag.strip().removeprefix("W/") for tag in if_none_match.split(",")]
    return "*" in tags or etag in tags


@extend_schema(
    parameters=[ControlQuery],
    responses={
        200: OpenApiResponse(OpenApiTypes.OBJECT, description="GeoJSON FeatureCollection, one feature per controller."),
        304: OpenApiResponse(description="Not modified (If-None-Match matched the ETag)."),
        400: OpenApiResponse(description="Malformed parameters."),
        404: OpenApiResponse(description="Unknown theatre, a date before its start, or no layer built yet."),
    },
)
@api_view(["GET"])
def control(request):
    """Who controls what in a theatre on a date: one dissolved (Multi)Polygon per controller.

    Properties: faction (slug, null for "no data"), name, short_name, color, kind, area_km2,
    gained_km2 and lost_km2 (against the previous interval), valid_from and valid_to (the
    half-open interval [valid_from, valid_to) during which this layer holds; valid_to null
    means until further notice).
    """
    query = parse(ControlQuery, request.query_params)
    theatre = theatre_or_404(query["theatre"])
    date = query["date"]
    if date < theatre.start_date:
        raise exceptions.NotFound(
            f"No map of {theatre.name} before {theatre.start_date:%Y-%m-%d}, the start of its record."
        )
    snapshot = snapshot_at(theatre, date)
    if snapshot is None:
        raise exceptions.NotFound(f"No published control layer of {theatre.name} covers {date:%Y-%m-%d} yet.")
    etag = f'"{snapshot.etag}"'
    if matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(bytes(snapshot.geojson), content_type="application/geo+json")
    response["ETag"] = etag
    response["Cache-Control"] = f"public, max-age={settings.LAYER_MAX_AGE}"
    return response
