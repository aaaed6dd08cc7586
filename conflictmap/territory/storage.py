"""Writing a build's rows: snapshots with their payloads and per-controller areas.

Shared by the rebuild's planner (territory.build) and the chunk builders (territory.chunks).
"""

import datetime as dt
from collections.abc import Iterable

from conflictmap.atlas.models import Faction, Theatre
from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.partition import Interval, Territory
from conflictmap.territory.areas import to_geos, to_shapely
from conflictmap.territory.models import ControlArea, LayerBuild, LayerSnapshot
from conflictmap.territory.payloads import AreaRow, etag_of, geometry_json, snapshot_geojson


def territory_of(snapshot: LayerSnapshot) -> Territory:
    return {area.controller_id: to_shapely(area.geom) for area in snapshot.areas.all()}


class GeometryMemo:
    """Work done once per geometry object during a build (area, GEOS copy, GeoJSON text).

    A controller that a date does not touch keeps the very same shapely object in the next
    interval (lib.partition.apply_change), so its area and encodings are reused, not recomputed.
    """

    def __init__(self) -> None:
        self._done: dict[tuple[int, str], tuple[object, object]] = {}

    def get(self, geometry, what: str, compute):
        key = (id(geometry), what)
        entry = self._done.get(key)
        if entry is None or entry[0] is not geometry:  # ids are reused once an object dies
            entry = (geometry, compute(geometry))
            self._done[key] = entry
        return entry[1]

    def retain(self, geometries) -> None:
        """Forget the work on every geometry but these (what the next interval can reuse)."""
        keep = {id(geometry) for geometry in geometries}
        self._done = {key: entry for key, entry in self._done.items() if key[0] in keep}

    def area_km2(self, geometry) -> float:
        return 0.0 if geometry is None else self.get(geometry, "area", area_km2)

    def geos(self, geometry):
        return None if geometry is None else self.get(geometry, "geos", to_geos)

    def geojson(self, geometry) -> str:
        return self.get(geometry, "json", geometry_json)


def copy_kept(build: LayerBuild, kept: list[LayerSnapshot], next_start: dt.date | None, factions, memo) -> None:
    """Copy the previous build's snapshots before the stale date; the last one ends at `next_start`."""
    for index, snapshot in enumerate(kept):
        valid_to = next_start if index == len(kept) - 1 else snapshot.valid_to
        areas = list(snapshot.areas.all())
        for area in areas:
            area.pk, area.snapshot_id = None, None  # saved again as copies
        shapes = [to_shapely(area.geom) for area in areas]
        store_snapshot(build, build.theatre, snapshot.valid_from, valid_to, areas, shapes, factions, memo)


def store_intervals(
    build: LayerBuild, theatre: Theatre, intervals: Iterable[Interval], factions: dict[int, Faction], memo
) -> None:
    """Store each interval as it comes, so memory holds one interval's geometry at a time."""
    for interval in intervals:
        areas = [
            ControlArea(
                controller_id=controller,
                geom=memo.geos(geometry),
                area_km2=memo.area_km2(geometry),
                gained=memo.geos(interval.gained.get(controller)),
                gained_km2=memo.area_km2(interval.gained.get(controller)),
                lost=memo.geos(interval.lost.get(controller)),
                lost_km2=memo.area_km2(interval.lost.get(controller)),
            )
            for controller, geometry in interval.territory.items()
        ]
        shapes = list(interval.territory.values())
        store_snapshot(build, theatre, interval.valid_from, interval.valid_to, areas, shapes, factions, memo)
        memo.retain(shapes)  # the next interval shares the untouched controllers' objects


def store_snapshot(
    build: LayerBuild,
    theatre: Theatre,
    valid_from: dt.date,
    valid_to: dt.date | None,
    areas: list[ControlArea],
    shapes: list,
    factions: dict[int, Faction],
    memo: GeometryMemo,
) -> None:
    """Save one snapshot: its GeoJSON payload, then its (unsaved) ControlArea rows.

    `shapes` are the areas' geometries as shapely objects, in the same order.
    """
    rows = [
        AreaRow(factions.get(area.controller_id), memo.geojson(shape), area.area_km2, area.gained_km2, area.lost_km2)
        for area, shape in zip(areas, shapes, strict=True)
    ]
    payload = snapshot_geojson(theatre.slug, valid_from, valid_to, rows)
    snapshot = LayerSnapshot.objects.create(
        build=build, valid_from=valid_from, valid_to=valid_to, geojson=payload, etag=etag_of(payload)
    )
    for area in areas:
        area.snapshot = snapshot
    ControlArea.objects.bulk_create(areas)
