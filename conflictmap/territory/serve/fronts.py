"""GET /api/v1/control/fronts/: the front lines on a date, and how long each pair of sides' is.

The lines are the build's shared edges of the date's holdings (territory.build.fronts), kept
where the two controllers are on opposing sides (lib.fronts.side_of, from the factions as they
are now) and merged per pair of sides. Where either side's land along a line is held less
than confirmed on the date (the current build's pieces, as /control/confidence/ reads them),
that stretch carries the lowest level of the two, so the map draws it apart (dashed).
"""

import datetime as dt
import json
from dataclasses import dataclass

import numpy as np
import shapely
from django.db import connection
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.decorators import api_view
from shapely.geometry import mapping

from conflictmap.atlas.models import Faction
from conflictmap.editorial.workflow import Status
from conflictmap.http.queries import TheatreQuery, parse
from conflictmap.http.response_cache import cached
from conflictmap.lib.fronts import by_sides, linear
from conflictmap.lib.generalize import decimals_for, pixel_of
from conflictmap.lib.geodesy import length_km
from conflictmap.lib.geometry import GRID
from conflictmap.territory.areas import to_shapely
from conflictmap.territory.build.fronts import ensure_fronts
from conflictmap.territory.build.payloads import sides_of
from conflictmap.territory.build.storage import AREAS, FRONTS
from conflictmap.territory.models import Confidence, ControlChange, LayerSnapshot
from conflictmap.territory.serve.build_pieces import BuildPieces, being_built, builds, current_build
from conflictmap.territory.serve.layer_cache import FULL, OVERVIEW

DECIMALS = 6  # the grid's: the lines lie on the areas' edges at every zoom
EDGES_SQL = f"""
SELECT x.controller_id, y.controller_id, ST_AsBinary(front.geom)
FROM {AREAS} x JOIN {AREAS} y ON y.snapshot_id = x.snapshot_id AND y.holding_id > x.holding_id
JOIN {FRONTS} front ON front.one_id = x.holding_id AND front.other_id = y.holding_id
WHERE x.snapshot_id = %s AND front.geom IS NOT NULL
"""


class FrontsQuery(TheatreQuery):
    date = serializers.DateField(help_text="YYYY-MM-DD: the map's date.")
    detail = serializers.ChoiceField(
        [FULL, OVERVIEW],
        default=FULL,
        help_text="full: the lines as the areas' edges, every vertex. overview: simplified within a pixel of a "
        "whole-country map about 600 pixels across, as the country view of /control/ (at 8 years 240 KB "
        "gzipped instead of ...); km stay the full lines'.",
    )


@extend_schema(
    parameters=[FrontsQuery],
    responses={
        (200, "application/json"): OpenApiResponse(
            OpenApiTypes.OBJECT,
            description="A GeoJSON FeatureCollection with theatre, date, valid_from and valid_to (the interval "
            "the lines hold for), `levels` (the confidence levels, from confirmed) and `pairs` (each pair of "
            "opposing sides that meet: `sides` (two faction slugs: a coalition, or a faction in none), `names`, "
            "`km`, the front's geodesic length); one MultiLineString feature per pair of sides and confidence "
            "with sides, names, colors, confidence (the lower of the two sides' along it) and km.",
        ),
        400: OpenApiResponse(description="Malformed parameters."),
        404: OpenApiResponse(description="Unknown theatre, a date before its start, or no layers built yet."),
    },
)
@api_view(["GET"])
def control_fronts(request):
    """Where the areas of opposing sides meet on a date, with each pair of sides' length in km."""
    query = parse(FrontsQuery, request.query_params)
    theatre, build = current_build(query["theatre"], query["date"])
    snapshot = LayerSnapshot.objects.filter(build_id=build).covering(query["date"]).first()
    if snapshot is None:
        raise being_built(theatre)

    def answer() -> bytes:
        ensure_fronts(theatre.pk, [snapshot.pk])  # the build stores the latest date's; others' on first ask
        boundary = [to_shapely(theatre.boundary)]
        drawing = Drawing(pixel_of(boundary)[0], decimals_for(boundary)) if query["detail"] == OVERVIEW else FULL_LINES
        # The build's pieces say how sure each stretch is: read (once per process: about a second
        # at 8 years) only when some change in force may be less than confirmed.
        unsure = ControlChange.objects.filter(theatre=theatre, status=Status.PUBLISHED, date__lte=query["date"])
        built = builds.of(snapshot.build_id) if unsure.exclude(confidence=Confidence.CONFIRMED).exists() else None
        return fronts_json(snapshot, theatre.slug, query["date"], built, drawing)

    payload = cached(theatre.pk, request, query, answer, variant=str(snapshot.pk))
    return HttpResponse(payload, content_type="application/json")


def snapshot_edges(snapshot_id: int) -> list[tuple[int, int, shapely.Geometry]]:
    """(controller, controller, shared edge) of each pair of the snapshot's areas that meet."""
    with connection.cursor() as cursor:
        cursor.execute(EDGES_SQL, [snapshot_id])
        return [(a, b, shapely.from_wkb(bytes(wkb))) for a, b, wkb in cursor.fetchall()]


@dataclass(frozen=True)
class Drawing:
    """How the lines are sent: simplified within `tolerance` degrees, to `decimals`."""

    tolerance: float
    decimals: int


FULL_LINES = Drawing(0.0, DECIMALS)


def fronts_json(
    snapshot: LayerSnapshot, theatre: str, date: dt.date, built: BuildPieces | None, drawing: Drawing = FULL_LINES
) -> bytes:
    """The answer of control_fronts for the snapshot covering `date`."""
    edges = snapshot_edges(snapshot.pk)
    factions = Faction.objects.in_bulk()
    lines = by_sides(edges, sides_of(factions, {c for a, b, _ in edges for c in (a, b)}))
    levels = built.levels if built is not None else list(Confidence.values)
    unsure = unsure_land(built, date) if built is not None else {}
    features, pairs = [], []
    for pair, merged in sorted(lines.items(), key=lambda item: -item[1].length):
        a, b = sorted(pair, key=lambda side: factions[side].slug)  # sides named in one order: by slug
        described = {"sides": [factions[a].slug, factions[b].slug], "names": [factions[a].name, factions[b].name]}
        pairs.append({**described, "km": round(length_km(merged), 1)})
        colors = [factions[a].color, factions[b].color]
        for level, part in by_level(merged, unsure, levels):
            simplified = shapely.simplify(part, drawing.tolerance)
            geometry = shapely.transform(simplified, lambda xy: np.round(xy, drawing.decimals))
            properties = {**described, "colors": colors, "confidence": level, "km": round(length_km(part), 1)}
            features.append({"type": "Feature", "geometry": mapping(geometry), "properties": properties})
    record = {"type": "FeatureCollection", "theatre": theatre, "date": date.isoformat(),
              "valid_from": snapshot.valid_from.isoformat(),
              "valid_to": snapshot.valid_to.isoformat() if snapshot.valid_to else None,
              "levels": levels, "pairs": pairs, "features": features}  # fmt: skip
    return json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode()


def unsure_land(built: BuildPieces, date: dt.date) -> dict[int, shapely.Geometry]:
    """The land held less than confirmed on the date, per level index, a few grid cells wider
    (the pieces and the holdings are cut from the same linework, so a front along such land
    lies on its edge)."""
    levels = built.sure.at(date).astype(np.int64)
    return {
        level: shapely.buffer(shapely.coverage_union_all(built.pieces[levels == level]), 4 * GRID)
        for level in np.unique(levels[levels > 0]).tolist()
    }


def by_level(lines, unsure: dict[int, shapely.Geometry], levels: list[str]):
    """(level name, its part of the lines): the least sure level first, what is left confirmed."""
    rest = lines
    for level in sorted(unsure, reverse=True):
        if rest.is_empty:
            break
        part = linear(shapely.intersection(rest, unsure[level]))
        if not part.is_empty:
            yield levels[level], part
            rest = linear(shapely.difference(rest, unsure[level]))
    if not rest.is_empty:
        yield levels[0], rest
