"""Writing a build's rows: snapshots and per-controller areas; payloads when first asked for.

Shared by the rebuild's planner (territory.build) and the chunk builders (territory.chunks).
A build stores each interval's geometry and areas; the GeoJSON a reader gets is made from
them the first time that date is asked for (layer_of) and stored with the snapshot. An 8-year
war has about 3,000 dates of about a megabyte each: encoding them all took a third of a full
rebuild, for dates most of which nobody may ever ask for. The latest date is made at build time.
"""

import datetime as dt
from collections.abc import Iterable

from django.db import connection

from conflictmap.atlas.models import Faction
from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.partition import Interval, Territory
from conflictmap.territory.areas import to_geos, to_shapely
from conflictmap.territory.models import ControlArea, LayerBuild, LayerSnapshot
from conflictmap.territory.payloads import AreaRow, etag_of, snapshot_geojson


def territory_of(snapshot: LayerSnapshot) -> Territory:
    return {area.controller_id: to_shapely(area.geom) for area in snapshot.areas.all()}


class GeometryMemo:
    """Work done once per geometry object during a build (area, GEOS copy).

    A controller that a date does not touch keeps the very same shapely object in the next
    interval (lib.partition.transfer), so its area and encoding are reused, not recomputed.
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


def copy_kept(build: LayerBuild, source_id: int, since: dt.date, next_start: dt.date | None) -> LayerSnapshot | None:
    """Copy the source build's snapshots that begin before `since`; returns the last one copied.

    Their bytes do not change, so all but the last are copied inside PostgreSQL as they are,
    payloads included; the last one now ends at `next_start`, so it is stored again.
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
    store_snapshot(build, last.valid_from, next_start, areas)
    return last


def store_intervals(build: LayerBuild, intervals: Iterable[Interval], memo: GeometryMemo) -> None:
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
        store_snapshot(build, interval.valid_from, interval.valid_to, areas)
        memo.retain(interval.territory.values())  # the next interval shares the untouched controllers' objects


def store_snapshot(build: LayerBuild, valid_from: dt.date, valid_to: dt.date | None, areas: list[ControlArea]) -> None:
    """Save one snapshot and its (unsaved) ControlArea rows; its payload is made when asked for."""
    snapshot = LayerSnapshot.objects.create(build=build, valid_from=valid_from, valid_to=valid_to)
    for area in areas:
        area.snapshot = snapshot
    ControlArea.objects.bulk_create(areas)


AREAS_AS_GEOJSON_SQL = f"""
SELECT controller_id, ST_AsGeoJSON(geom, 6), area_km2, gained_km2, lost_km2 FROM {AREAS} WHERE snapshot_id = %s
"""


def layer_of(rows) -> tuple[str, bytes] | None:
    """(etag, GeoJSON) of the layer `rows` (LayerSnapshot or LayerHead rows) hold first. A
    snapshot's payload not made yet is made now from its areas and stored, for every process."""
    found = rows.values_list("pk", "etag", "geojson").first()
    if found is None:
        return None
    pk, etag, payload = found
    if payload is None:
        payload = snapshot_payload(pk)
        etag = etag_of(payload)
        rows.filter(pk=pk, geojson__isnull=True).update(geojson=payload, etag=etag)
    return etag, bytes(payload)


def snapshot_payload(snapshot_id: int) -> bytes:
    """The API's FeatureCollection for a snapshot, encoded by PostGIS from its stored areas."""
    slug, valid_from, valid_to = (
        LayerSnapshot.objects.filter(pk=snapshot_id).values_list("build__theatre__slug", "valid_from", "valid_to").get()
    )
    with connection.cursor() as cursor:
        cursor.execute(AREAS_AS_GEOJSON_SQL, [snapshot_id])
        found = cursor.fetchall()
    factions = Faction.objects.in_bulk([row[0] for row in found if row[0] is not None])
    rows = [
        AreaRow(factions.get(controller), geometry, area, gained, lost)
        for controller, geometry, area, gained, lost in found
    ]
    return snapshot_geojson(slug, valid_from, valid_to, rows)
