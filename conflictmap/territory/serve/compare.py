"""GET /api/v1/compare/: two dates of a theatre side by side: each controller's km² on both, what
it gained and lost between, the areas that changed hands, and how many events happened between.

Answered from the current build's pieces and their full history (lib.compare): a piece's
controller on each date, summed and unioned, with no overlay of geometry. The pieces of a build
are read and measured once per process (PiecesOfBuilds); each pair's answer is kept in the
response cache.
"""

import datetime as dt
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import shapely
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view
from shapely.geometry import mapping

from conflictmap.atlas.api import theatre_or_404
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.http.queries import RangeQuery, parse
from conflictmap.http.response_cache import cached
from conflictmap.lib.compare import PieceStates, compare
from conflictmap.lib.generalize import decimals_for
from conflictmap.lib.geodesy import areas_km2
from conflictmap.territory.models import LayerBuild
from conflictmap.territory.serve.layer_cache import layers


class CompareQuery(RangeQuery):
    from_ = serializers.DateField(help_text="YYYY-MM-DD: the first map.")
    to = serializers.DateField(help_text="YYYY-MM-DD, not before `from`: the second map.")


@dataclass(frozen=True)
class BuildPieces:
    """A build's pieces at full precision, their km², and who held each when."""

    pieces: np.ndarray
    km2: np.ndarray
    states: PieceStates
    controllers: list[dict]
    decimals: int  # coordinates are sent rounded as the country view's (within a tenth of its pixel)


class PiecesOfBuilds:
    """The pieces of the last few builds asked about, per process: reading and measuring them
    takes about a second at 8 years, a pair's comparison then milliseconds."""

    KEPT = 2  # the current build, and the one it replaced while web processes catch up

    def __init__(self) -> None:
        self._builds: OrderedDict[int, BuildPieces] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, build_id: int) -> BuildPieces | None:
        with self._lock:
            if build_id in self._builds:
                self._builds.move_to_end(build_id)
                return self._builds[build_id]
        row = LayerBuild.objects.filter(pk=build_id).values_list("pieces_wkb", "pieces_history").first()
        if not row or not row[0] or not row[1]:
            return None  # no build, or its pieces are still being stored (territory.build.scrubbing)
        collection = shapely.from_wkb(bytes(row[0]))
        pieces = shapely.get_parts(collection)
        history = json.loads(bytes(row[1]))
        loaded = BuildPieces(pieces, areas_km2(pieces), PieceStates.of(history), history["controllers"],
                             decimals_for(pieces))  # fmt: skip
        with self._lock:
            self._builds[build_id] = loaded
            while len(self._builds) > self.KEPT:
                self._builds.popitem(last=False)
        return loaded


builds = PiecesOfBuilds()


@extend_schema(
    parameters=[CompareQuery],
    responses={
        (200, "application/json"): OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="theatre, from, to; events: published events dated after `from` up to `to`; "
            "change_dates: dates in (from, to] when control changed; controllers: one per side holding "
            "land on either date (faction slug, null for no data; name, short_name, color, km2_from, km2_to, "
            "gained_km2, lost_km2, net_km2); moved: a GeoJSON FeatureCollection of the land that changed "
            "hands, one feature per (from, to) pair of factions with its km2.",
        ),
        400: OpenApiResponse(description="Malformed parameters, or `to` before `from`."),
        404: OpenApiResponse(description="Unknown theatre, a date before its start, or no layers built yet."),
    },
)
@api_view(["GET"])
def compare_dates(request):
    """Who gained and lost what between two dates, with the number of events between."""
    query = parse(CompareQuery, request.query_params)
    theatre = theatre_or_404(query["theatre"])
    first, second = query["from"], query["to"]
    if first < theatre.start_date:
        raise exceptions.NotFound(f"No map of {theatre.name} before {theatre.start_date:%Y-%m-%d}.")
    current = layers.theatre(theatre.slug, fresh=True)
    built = builds.of(current.build[0]) if current and current.build else None
    if built is None:
        raise exceptions.NotFound(f"The layers of {theatre.name} are being built: ask again in a minute.")

    def answer() -> bytes:
        events = Event.objects.filter(theatre=theatre, status=Status.PUBLISHED, date__gt=first, date__lte=second)
        changes = sum(first < day <= second for day in built.states.days)
        return comparison_json(built, first, second, {"theatre": theatre.slug, "events": events.count(),
                                                      "change_dates": changes})  # fmt: skip

    payload = cached(theatre.pk, request, query, answer, variant=str(current.build[0]))
    return HttpResponse(payload, content_type="application/json")


def comparison_json(built: BuildPieces, first: dt.date, second: dt.date, extra: dict) -> bytes:
    """The answer's JSON: `extra`, the table per controller and the land that changed hands."""
    result = compare(built.states, built.km2, len(built.controllers), first, second)
    rows = []
    for index, controller in enumerate(built.controllers):
        before, after = float(result.km2_before[index]), float(result.km2_after[index])
        if max(before, after) >= 0.05:
            gained, lost = float(result.gained[index]), float(result.lost[index])
            rows.append({**{key: value for key, value in controller.items() if key != "id"},
                         "km2_from": round(before, 1), "km2_to": round(after, 1), "gained_km2": round(gained, 1),
                         "lost_km2": round(lost, 1), "net_km2": round(after - before, 1)})  # fmt: skip
    features = []
    for (was, now), moved in result.moved.items():
        land = shapely.coverage_union_all(built.pieces[moved])
        land = shapely.transform(land, lambda xy: np.round(xy, built.decimals))
        features.append({
            "type": "Feature",
            "properties": {"from": built.controllers[was]["faction"], "to": built.controllers[now]["faction"],
                           "km2": round(float(built.km2[moved].sum()), 1)},
            "geometry": mapping(land),
        })  # fmt: skip
    record = {**extra, "from": first.isoformat(), "to": second.isoformat(), "controllers": rows,
              "moved": {"type": "FeatureCollection", "features": features}}  # fmt: skip
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode()
