"""Writing a build's rows: snapshots and per-controller areas; payloads when first asked for.

Shared by the rebuild's planner (territory.build) and the chunk builders (territory.build.chunks).
A build stores each interval's areas, sharing each controller's geometry (a Holding) between
the dates, and builds, in which it is the same; the GeoJSON a reader gets is made from
them the first time that date is asked for (layer_of) and stored with the snapshot. An 8-year
war has about 3,000 dates of about a megabyte each: encoding them all took a third of a full
rebuild, for dates most of which nobody may ever ask for. The latest date is made at build time.
"""

import datetime as dt
from collections.abc import Iterable

import psycopg
import shapely
from django.db import connection

from conflictmap.atlas.models import Faction
from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.partition import Controller, Interval, Territory
from conflictmap.territory.areas import to_geos
from conflictmap.territory.build.payloads import AreaRow, etag_of, snapshot_geojson
from conflictmap.territory.models import ControlArea, Front, Holding, LayerBuild, LayerSnapshot

SNAPSHOTS, AREAS, HOLDINGS = LayerSnapshot._meta.db_table, ControlArea._meta.db_table, Holding._meta.db_table
FRONTS = Front._meta.db_table
HOLDINGS_SQL = f"""
SELECT area.controller_id, ST_AsBinary(holding.geom) FROM {AREAS} area
JOIN {HOLDINGS} holding ON holding.id = area.holding_id WHERE area.snapshot_id = %s
"""


def territory_of(snapshot_id: int) -> Territory:
    """The partition a stored snapshot holds: each controller's holding, as shapely."""
    with connection.cursor() as cursor:
        cursor.execute(HOLDINGS_SQL, [snapshot_id])
        return {controller: shapely.from_wkb(bytes(wkb)) for controller, wkb in cursor.fetchall()}


class HoldingMemo:
    """The Holding row of each geometry object a build has stored, so it is stored once.

    A controller that a date does not touch keeps the very same shapely object in the next
    interval (lib.partition.transfer), so the next snapshot points at the same holding.
    """

    def __init__(self) -> None:
        self._rows: dict[int, tuple[object, int]] = {}

    def known(self, geometry) -> int | None:
        entry = self._rows.get(id(geometry))
        return entry[1] if entry is not None and entry[0] is geometry else None  # ids are reused once objects die

    def store(self, theatre_id: int, territory: Territory) -> dict[Controller, int]:
        """The holding id of each controller's geometry, inserting those not stored yet."""
        new = [(controller, geometry) for controller, geometry in territory.items() if self.known(geometry) is None]
        ids = insert_holdings(theatre_id, [(c, geometry, area_km2(geometry)) for c, geometry in new])
        for (_, geometry), pk in zip(new, ids, strict=True):
            self._rows[id(geometry)] = (geometry, pk)
        return {controller: self.known(geometry) for controller, geometry in territory.items()}  # type: ignore[misc]

    def retain(self, geometries) -> None:
        """Forget every geometry but these (what the next interval can reuse)."""
        keep = {id(geometry) for geometry in geometries}
        self._rows = {key: entry for key, entry in self._rows.items() if key in keep}


NEXT_HOLDING_IDS_SQL = f"SELECT nextval(pg_get_serial_sequence('{HOLDINGS}', 'id')) FROM generate_series(1, %s)"
COPY_HOLDINGS_SQL = f"COPY {HOLDINGS} (id, theatre_id, controller_id, geom, area_km2) FROM STDIN (FORMAT BINARY)"


def insert_holdings(theatre_id: int, holdings: list[tuple[Controller, shapely.Geometry, float]]) -> list[int]:
    """Insert (controller, geometry, km²) holdings; returns their ids, in order.

    Stored in normal form (shapely.normalize: rings and parts in one order), so an incremental
    build and a full one store the same bytes for the same shape. One binary COPY, each geometry
    sent as EWKB bytes, which PostGIS reads as they are. At 8 years a holding is about 85 KB:
    Django's bulk_create, which sends it as hex text to be parsed back, took 2.5 times as long,
    and an edit writes a thousand or more of them.
    """
    if not holdings:
        return []
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:  # binary parameters (Django's bind as text)
        cursor.execute(NEXT_HOLDING_IDS_SQL, [len(holdings)])
        ids = [pk for (pk,) in cursor.fetchall()]
        with cursor.copy(COPY_HOLDINGS_SQL) as copy:
            copy.set_types(["int8", "int8", "int8", "bytea", "float8"])  # bytea: the EWKB bytes, unchanged
            for pk, (controller, geometry, km2) in zip(ids, holdings, strict=True):
                ewkb = shapely.to_wkb(shapely.set_srid(shapely.normalize(geometry), 4326), include_srid=True)
                copy.write_row((pk, theatre_id, controller, ewkb, km2))
    return ids


AREA_COLUMNS = "controller_id, holding_id, gained, gained_km2, lost, lost_km2"
# Copies snapshots, payloads included, with their areas (small rows: holdings are shared) into a build.
COPY_SNAPSHOTS_SQL = f"""
WITH copied AS (
    INSERT INTO {SNAPSHOTS} (build_id, valid_from, valid_to, geojson, etag, overview)
    SELECT %(new)s, valid_from, valid_to, geojson, etag, overview FROM {SNAPSHOTS}
    WHERE id = ANY(%(ids)s)
    RETURNING id, valid_from
)
INSERT INTO {AREAS} (snapshot_id, {AREA_COLUMNS})
SELECT copied.id, {", ".join(f"area.{column}" for column in AREA_COLUMNS.split(", "))}
FROM copied
JOIN {SNAPSHOTS} source ON source.id = ANY(%(ids)s) AND source.valid_from = copied.valid_from
JOIN {AREAS} area ON area.snapshot_id = source.id
"""


def copy_snapshots(build: LayerBuild, snapshot_ids: list[int]) -> None:
    """Copy these snapshots (of one build) into `build` as they are: their bytes do not change."""
    with connection.cursor() as cursor:
        cursor.execute(COPY_SNAPSHOTS_SQL, {"new": build.pk, "ids": snapshot_ids})


def copy_kept(build: LayerBuild, source_id: int, since: dt.date, next_start: dt.date | None) -> LayerSnapshot | None:
    """Copy the source build's snapshots that begin before `since`; returns the last one copied.

    All but the last are copied as they are, payloads included; the last one now ends at
    `next_start`, so it is stored again (its payload, which names its end, made anew).
    """
    kept = LayerSnapshot.objects.filter(build_id=source_id, valid_from__lt=since).order_by("valid_from")
    last = kept.last()
    if last is None:
        return None
    copy_snapshots(build, list(kept.exclude(pk=last.pk).values_list("pk", flat=True)))
    areas = list(last.areas.all())
    for area in areas:
        area.pk, area.snapshot_id = None, None  # saved again as copies
    store_snapshot(build, last.valid_from, next_start, areas)
    return last


def store_intervals(build: LayerBuild, intervals: Iterable[Interval], memo: HoldingMemo) -> None:
    """Store each interval as it comes, so memory holds one interval's geometry at a time."""
    for interval in intervals:
        holdings = memo.store(build.theatre_id, interval.territory)
        areas = [
            ControlArea(
                controller_id=controller,
                holding_id=holding,
                gained=geos_or_none(interval.gained.get(controller)),
                gained_km2=area_or_zero(interval.gained.get(controller)),
                lost=geos_or_none(interval.lost.get(controller)),
                lost_km2=area_or_zero(interval.lost.get(controller)),
            )
            for controller, holding in holdings.items()
        ]
        store_snapshot(build, interval.valid_from, interval.valid_to, areas)
        memo.retain(interval.territory.values())  # the next interval shares the untouched controllers' objects


def geos_or_none(geometry):
    return None if geometry is None else to_geos(shapely.normalize(geometry))


def area_or_zero(geometry) -> float:
    return 0.0 if geometry is None else area_km2(geometry)


def store_snapshot(build: LayerBuild, valid_from: dt.date, valid_to: dt.date | None, areas: list[ControlArea]) -> None:
    """Save one snapshot and its (unsaved) ControlArea rows; its payload is made when asked for."""
    snapshot = LayerSnapshot.objects.create(build=build, valid_from=valid_from, valid_to=valid_to)
    for area in areas:
        area.snapshot = snapshot
    ControlArea.objects.bulk_create(areas)


def forget_unused_holdings(theatre_id: int) -> None:
    """Delete the theatre's holdings no snapshot uses any more (after builds are deleted;
    territory.build.forget_unused_holdings says when). Should a build being written point at
    one of them all the same, its commit fails on the foreign key and its task is retried."""
    with connection.cursor() as cursor:
        for sql in FORGET_SQL:
            cursor.execute(sql, [theatre_id])


# The fronts of those holdings first (territory.build.fronts): their keys are checked at commit.
FORGET_SQL = [
    f"""DELETE FROM {FRONTS} front WHERE front.theatre_id = %s
    AND (NOT EXISTS (SELECT 1 FROM {AREAS} area WHERE area.holding_id = front.one_id)
         OR NOT EXISTS (SELECT 1 FROM {AREAS} area WHERE area.holding_id = front.other_id))""",
    f"""DELETE FROM {HOLDINGS} holding WHERE holding.theatre_id = %s
    AND NOT EXISTS (SELECT 1 FROM {AREAS} area WHERE area.holding_id = holding.id)""",
]


AREAS_AS_GEOJSON_SQL = f"""
SELECT area.controller_id, ST_AsGeoJSON(holding.geom, 6), holding.area_km2, area.gained_km2, area.lost_km2
FROM {AREAS} area JOIN {HOLDINGS} holding ON holding.id = area.holding_id WHERE area.snapshot_id = %s
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
    factions = Faction.objects.select_related("parent").in_bulk([row[0] for row in found if row[0] is not None])
    rows = [
        AreaRow(factions.get(controller), geometry, area, gained, lost)
        for controller, geometry, area, gained, lost in found
    ]
    return snapshot_geojson(slug, valid_from, valid_to, rows)
