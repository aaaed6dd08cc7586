"""GET /api/v1/control/confidence/: the land whose holding on a date the record is less than sure
of (assessed, claimed or contested), by controller and level, to draw patterns over the map.

The country view (/api/v1/control/) and the vector tiles are dissolved by controller alone, so
the map draws this beside them; the pieces the full map scrubs with carry it themselves. It is
answered from the current build's pieces (build_pieces.py) as /api/v1/compare/ is: a piece's
level on the date, and the union of whole pieces per (controller, level), with no overlay.
"""

import datetime as dt
import json

import numpy as np
import shapely
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from shapely.geometry import mapping

from conflictmap.http.queries import TheatreQuery, parse
from conflictmap.http.response_cache import cached
from conflictmap.lib.compare import by_pair
from conflictmap.territory.serve.build_pieces import BuildPieces, current_pieces

DECIMALS = 5  # about a metre: the patterns are drawn over the vector tiles too, up to street zooms


class ConfidenceQuery(TheatreQuery):
    date = serializers.DateField(help_text="YYYY-MM-DD: the map's date.")


@extend_schema(
    parameters=[ConfidenceQuery],
    responses={
        (200, "application/json"): OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="A GeoJSON FeatureCollection with theatre, date, `levels` (the confidence levels, from "
            "confirmed) and `km2` (the land held at each level on the date); one feature per controller and level "
            "other than confirmed, with faction (slug, null for no data), name, short_name, color, level and "
            "area_km2.",
        ),
        400: OpenApiResponse(description="Malformed parameters."),
        404: OpenApiResponse(description="Unknown theatre, a date before its start, or no layers built yet."),
    },
)
@api_view(["GET"])
def control_confidence(request):
    """Where control on a date is assessed, claimed or contested rather than confirmed."""
    query = parse(ConfidenceQuery, request.query_params)
    theatre, build, built = current_pieces(query["theatre"], query["date"])
    payload = cached(theatre.pk, request, query, lambda: uncertain_json(built, theatre.slug, query["date"]),
                     variant=str(build))  # fmt: skip
    return HttpResponse(payload, content_type="application/json")


def uncertain_json(built: BuildPieces, theatre: str, date: dt.date) -> bytes:
    holders, levels = built.states.at(date).astype(np.int64), built.sure.at(date).astype(np.int64)
    km2 = np.bincount(levels, weights=built.km2, minlength=len(built.levels))
    unsure = np.flatnonzero(levels > 0)
    features = []
    for (holder, level), pieces in by_pair(unsure, holders[unsure], levels[unsure], len(built.levels)).items():
        land = shapely.transform(shapely.coverage_union_all(built.pieces[pieces]), lambda xy: np.round(xy, DECIMALS))
        controller = {key: value for key, value in built.controllers[holder].items() if key != "id"}
        properties = {**controller, "level": built.levels[level], "area_km2": round(float(built.km2[pieces].sum()), 1)}
        features.append({"type": "Feature", "geometry": mapping(land), "properties": properties})
    record = {"type": "FeatureCollection", "theatre": theatre, "date": date.isoformat(), "levels": built.levels,
              "km2": [round(float(value), 1) for value in km2], "features": features}  # fmt: skip
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode()
