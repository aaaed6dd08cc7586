"""GET /api/v1/compare/: two dates of a theatre side by side: each controller's km² on both, what
it gained and lost between, the land that changed hands, and how many events happened between.

Answered from the current build's pieces and their histories (lib.compare): a piece's controller
on each date, summed, with no overlay of geometry. The land that changed hands is named by the
drawn pieces (/api/v1/pieces/, which the map already has), so an answer is a few KB; its
geometry at full precision, a union of up to tens of thousands of pieces and a megabyte at 8
years, comes only when asked for (`geometry=true`). The pieces of a build are read and measured
once per process (build_pieces.py); each pair's answer is kept in the response cache.
"""

import bisect
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

from conflictmap.events import daily
from conflictmap.http.queries import RangeQuery, parse
from conflictmap.http.response_cache import cached
from conflictmap.lib.compare import compare, moved_between
from conflictmap.territory.serve.build_pieces import BuildPieces, current_pieces


class CompareQuery(RangeQuery):
    from_ = serializers.DateField(help_text="YYYY-MM-DD: the first map.")
    to = serializers.DateField(help_text="YYYY-MM-DD, not before `from`: the second map.")
    geometry = serializers.BooleanField(default=False, help_text="true: each pair's land as a GeoJSON geometry, at "
                                        "full precision (slower: up to a second and a megabyte for far-apart dates of "
                                        "a long war).")  # fmt: skip


@extend_schema(
    parameters=[CompareQuery],
    responses={
        (200, "application/json"): OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="theatre, from, to; events: published events dated after `from` up to `to`; "
            "change_dates: dates in (from, to] when control changed; controllers: one per side holding "
            "land on either date (faction slug, null for no data; name, short_name, color, km2_from, km2_to, "
            "gained_km2, lost_km2, net_km2); moved: the land that changed hands, one entry per (from, to) pair "
            "of factions (slugs, null for no data) with its km2 and `pieces`, the ids of the drawn pieces "
            "(/api/v1/pieces/ features) it is made of, as far as they show it; with geometry=true, also its "
            "`geometry` (GeoJSON, full precision).",
        ),
        400: OpenApiResponse(description="Malformed parameters, or `to` before `from`."),
        404: OpenApiResponse(description="Unknown theatre, a date before its start, or no layers built yet."),
    },
)
@api_view(["GET"])
def compare_dates(request):
    """Who gained and lost what between two dates, with the number of events between."""
    query = parse(CompareQuery, request.query_params)
    first, second = query["from"], query["to"]
    theatre, build, built = current_pieces(query["theatre"], first)

    def answer() -> bytes:
        days = built.states.days
        changes = bisect.bisect_right(days, second) - bisect.bisect_right(days, first)
        extra = {"theatre": theatre.slug, "events": daily.between(theatre.pk, first, second), "change_dates": changes}
        return comparison_json(built, first, second, extra, geometry=query["geometry"])

    payload = cached(theatre.pk, request, query, answer, variant=str(build))
    return HttpResponse(payload, content_type="application/json")


def comparison_json(built: BuildPieces, first: dt.date, second: dt.date, extra: dict, geometry: bool) -> bytes:
    """The answer's JSON: `extra`, the table per controller and the land that changed hands."""
    count = len(built.controllers)
    result = compare(built.states, built.km2, count, first, second)
    drawn = moved_between(built.drawn, count, first, second)
    rows = []
    for index, controller in enumerate(built.controllers):
        before, after = float(result.km2_before[index]), float(result.km2_after[index])
        if max(before, after) >= 0.05:
            gained, lost = float(result.gained[index]), float(result.lost[index])
            rows.append({**{key: value for key, value in controller.items() if key != "id"},
                         "km2_from": round(before, 1), "km2_to": round(after, 1), "gained_km2": round(gained, 1),
                         "lost_km2": round(lost, 1), "net_km2": round(after - before, 1)})  # fmt: skip
    moved = []
    for (was, now), pieces in result.moved.items():
        entry = {"from": built.controllers[was]["faction"], "to": built.controllers[now]["faction"],
                 "km2": round(float(built.km2[pieces].sum()), 1),
                 "pieces": drawn.get((was, now), np.empty(0, dtype=int)).tolist()}  # fmt: skip
        if geometry:
            land = shapely.coverage_union_all(built.pieces[pieces])
            entry["geometry"] = mapping(shapely.transform(land, lambda xy: np.round(xy, built.decimals)))
        moved.append(entry)
    record = {**extra, "from": first.isoformat(), "to": second.isoformat(), "controllers": rows, "moved": moved}
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode()
