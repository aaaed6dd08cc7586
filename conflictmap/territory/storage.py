"""Writing a build's rows: snapshots with their payloads and per-controller areas.

Shared by the rebuild's planner (territory.build) and the chunk builders (territory.chunks).
"""

import datetime as dt
from collections.abc import Iterable

import shapely
from django.db import connection

from conflictmap.atlas.models import Faction, Theatre
from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.partition import Interval, Territory
from conflictmap.territory.areas import to_geos, to_shapely
from conflictmap.territory.models import ControlArea, LayerBuild, LayerSnapshot
from conflictmap.territory.payloads import (
    AreaRow,
    etag_of,
    multipolygon_json,
    polygon_coordinates_json,
    snapshot_geojson,
)


def territory_of(snapshot: LayerSnapshot) -> Territory:
    return {area.controller_id: to_shapely(area.geom) for area in snapshot.areas.all()}


class GeometryMemo:
    """Work done once per geometry during a build (area, GEOS copy, GeoJSON text).

    Two levels. A controller that a date does not touch keeps the very same shapely object in
    the next interval (lib.partition.transfer), so its results are reused whole. One that a
    date does touch keeps most of its polygons as they were (lib.geometry.difference_near), so
    area and GeoJSON are kept per polygon too, keyed by its WKB, and only new polygons cost work.
    """

    def __init__(self) -> None:
        self._done: dict[tuple[int, str], tuple[object, object]] = {}
        self._parts: dict[bytes, tuple[float, str]] = {}
        self._parts_used: dict[bytes, tuple[float, str]] = {}

    def get(self, geometry, what: str, compute):
        key = (id(geometry), what)
        entry = self._done.get(key)
        if entry is None or entry[0] is not geometry:  # ids are reused once an object dies
            entry = (geometry, compute(geometry))
            self._done[key] = entry
        return entry[1]

    def retain(self, geometries) -> None:
        """Forget the work on every geometry but these, and on every polygon not used since
        the last call (what the next interval can reuse)."""
        keep = {id(geometry) for geometry in geometries}
        self._done = {key: entry for key, entry in self._done.items() if key[0] in keep}
        self._parts, self._parts_used = self._parts_used, {}

    def _polygons(self, geometry) -> list[tuple[float, str]]:
        """(km², GeoJSON coordinates) of each polygon of `geometry`."""
        parts = shapely.get_parts(geometry)
        found = []
        for part, key in zip(parts, shapely.to_wkb(parts), strict=True):
            entry = self._parts.get(key) or self._parts_used.get(key)
            if entry is None:
                entry = (area_km2(part), polygon_coordinates_json(part))
            self._parts_used[key] = entry
            found.append(entry)
        return found

    def area_km2(self, geometry) -> float:
        if geometry is None:
            return 0.0
        return self.get(geometry, "area", lambda shape: sum(area for area, _ in self._polygons(shape)))

    def geos(self, geometry):
        return None if geometry is None else self.get(geometry, "geos", to_geos)

    def geojson(self, geometry) -> str:
        return self.get(geometry, "json", lambda shape: multipolygon_json(text for _, text in self._polygons(shape)))


SNAPSHOTS, AREAS = LayerSnapshot._meta.db_table, ControlArea._meta.db_table
AREA_COLUMNS = "controller_id, geom, area_km2, gained, gained_km2, lost, lost_km2"
# Copies a build's snapshots that start before a date, with their areas, into another build.
COPY_UNCHANGED_SQL = f"""
WITH copied AS (
    INSERT INTO {SNAPSHOTS} (build_id, valid_from, valid_to, geojson, etag, overview)
    SELECT %(new)s, valid_from, valid_to, geojson, etag, overview FROM {SNAPSHOTS}
    WHERE build_id = %(old)s AND valid_from < %(before)s
    RETURNING id, valid_from
)
INSERT INTO {AREAS} (snapshot_id, {AREA_COLUMNS})
SELECT copied.id, {", ".join(f"area.{column}" for column in AREA_COLUMNS.split(", "))}
FROM copied
JOIN {SNAPSHOTS} source ON source.build_id = %(old)s AND source.valid_from = copied.valid_from
JOIN {AREAS} area ON area.snapshot_id = source.id
"""


def copy_kept(
    build: LayerBuild, source_id: int, since: dt.date, next_start: dt.date | None, factions, memo
) -> LayerSnapshot | None:
    """Copy the source build's snapshots that begin before `since`; returns the last one copied.

    Their bytes do not change, so all but the last are copied inside PostgreSQL as they are;
    the last one now ends at `next_start`, so its payload is written again.
    """
    last = (
        LayerSnapshot.objects.filter(build_id=source_id, valid_from__lt=since)
        .order_by("-valid_from")
        .prefetch_related("areas")
        .first()
    )
    if last is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(COPY_UNCHANGED_SQL, {"new": build.pk, "old": source_id, "before": last.valid_from})
    areas = list(last.areas.all())
    for area in areas:
        area.pk, area.snapshot_id = None, None  # saved again as copies
    shapes = [to_shapely(area.geom) for area in areas]
    store_snapshot(build, build.theatre, last.valid_from, next_start, areas, shapes, factions, memo)
    return last


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
