"""What each download holds: tables of published rows, read from the database.

A Table is one layer of a file: its fields and its rows, each row (geometry as WKB or None,
value, ...), read through a server-side cursor, so the full history of a long war is written in
batches (exports/formats.py) and never held in memory whole. PostGIS encodes every geometry.
Only published control changes and events reach a table, and no event that cites ACLED
(events.models.CITES_ACLED): ACLED's terms do not allow giving others direct access to its
rows, so a download leaves them out and says how many (see README, Downloads).
"""

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections, router, transaction

from conflictmap.atlas.models import Faction, Place, Source, Theatre
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import ACLED_URL, CITES_ACLED, Event, type_labels
from conflictmap.lib.partition import NO_DATA_COLOR, NO_DATA_NAME
from conflictmap.territory.models import ControlArea, ControlChange, Holding, LayerBuild, LayerSnapshot

ACLED_TERMS_URL = "https://epo.acleddata.com/terms-of-use-and-attribution-policy"
BATCH = 2000  # rows fetched, and written, at a time
AREA_BATCH = 100  # areas: a controller's holding is about 85 KB at 8 years

CHANGES, EVENTS, SOURCES = ControlChange._meta.db_table, Event._meta.db_table, Source._meta.db_table
CHANGE_SOURCES, EVENT_SOURCES = ControlChange.sources.through._meta.db_table, Event.sources.through._meta.db_table
EVENT_ACTORS, FACTIONS, PLACES = Event.actors.through._meta.db_table, Faction._meta.db_table, Place._meta.db_table
AREAS, HOLDINGS, SNAPSHOTS = ControlArea._meta.db_table, Holding._meta.db_table, LayerSnapshot._meta.db_table


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # int, float, str or date


def fields(spec: str) -> list[Field]:
    """`"id:int title:str"` as Fields: each table's columns, in order, in one line."""
    return [Field(*item.split(":")) for item in spec.split()]


@dataclass
class Table:
    name: str
    description: str
    geometry_type: str | None  # MultiPolygon or Point; None: no geometry column
    fields: list[Field]
    rows: Iterator[tuple]  # (wkb, *values) with a geometry type, else (*values)
    label: str = ""  # the field that names a feature (a KML placemark's name)
    batch: int = BATCH  # rows read and written at a time
    size: int | None = None  # how many rows, where counted (what formats.refusal checks)


@dataclass
class Export:
    theatre: Theatre
    stem: str  # the file name without its extension
    title: str
    tables: list[Table]
    notes: list[str] = field(default_factory=list)
    exported_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(microsecond=0))

    @property
    def attribution(self) -> str:
        """The credits readers see under the theatre's maps (Theatre.attribution), with the site's."""
        site = f"Data: {settings.SITE_NAME}, {self.theatre.name}, published items as of {self.exported_at:%Y-%m-%d}."
        return f"{site} {self.theatre.attribution}" if self.theatre.attribution else site


def reader():
    """The connection public reads use (the replica when there is one: http/replica.py)."""
    return connections[router.db_for_read(Event) or DEFAULT_DB_ALIAS]


@contextmanager
def one_snapshot():
    """Every query of a download sees the database as it was at the first (REPEATABLE READ), so a
    build swapped in meanwhile cannot leave the history's intervals without their holdings.
    Inside a transaction already (tests), that transaction's view is kept."""
    connection = reader()
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def rows_of(sql: str, params, size: int = BATCH) -> Iterator[tuple]:
    """The rows of a query, `size` at a time through a server-side cursor."""
    with reader().chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(size):
            yield from batch


def sources_json(ids_sql: str) -> str:
    """SQL: the sources whose ids `ids_sql` selects, as JSON text (id, title, publisher, url, published_on)."""
    return f"""coalesce((SELECT json_agg(json_build_object('id', s.id, 'title', s.title, 'publisher', s.publisher,
        'url', s.url, 'published_on', s.published_on) ORDER BY s.id) FROM {SOURCES} s WHERE s.id IN ({ids_sql})),
        '[]')::text"""


CONTROL_FIELDS = fields(
    "faction_id:int faction:str name:str short_name:str kind:str color:str area_km2:float gained_km2:float "
    "lost_km2:float valid_from:date valid_to:date change_ids:str sources:str"
)
# Each controller's area on the snapshot's first date, and the published changes that made it: its
# own changes up to that date whose area still shares ground with it (interiors meet in an area).
CONTROL_SQL = f"""
WITH areas AS (
    SELECT area.controller_id, holding.geom, holding.area_km2, area.gained_km2, area.lost_km2
    FROM {AREAS} area JOIN {HOLDINGS} holding ON holding.id = area.holding_id WHERE area.snapshot_id = %(snapshot)s
), made AS (
    SELECT areas.controller_id, change.id FROM areas JOIN {CHANGES} change ON change.controller_id = areas.controller_id
    WHERE change.theatre_id = %(theatre)s AND change.status = %(published)s AND change.date <= %(date)s
    AND change.area && areas.geom AND ST_Relate(change.area, areas.geom, '2********')
)
SELECT ST_AsBinary(areas.geom), areas.controller_id, faction.slug, faction.name, faction.short_name, faction.kind,
    faction.color, areas.area_km2, areas.gained_km2, areas.lost_km2,
    (SELECT string_agg(made.id::text, ' ' ORDER BY made.id) FROM made WHERE made.controller_id = areas.controller_id),
    {sources_json(f"SELECT cs.source_id FROM made JOIN {CHANGE_SOURCES} cs ON cs.controlchange_id = made.id "
                  "WHERE made.controller_id = areas.controller_id")}
FROM areas LEFT JOIN {FACTIONS} faction ON faction.id = areas.controller_id
"""  # fmt: skip


def control_at(theatre: Theatre, date: dt.date) -> Export | None:
    """The layer readers get for `date` from the current build, one feature per controller, with the
    ids and sources of the changes that made each area; None when no build covers the date."""
    snapshot = (
        LayerSnapshot.objects.filter(build__theatre=theatre, build__is_current=True)
        .covering(date)
        .values_list("pk", "valid_from", "valid_to")
        .first()
    )
    if snapshot is None:
        return None
    pk, valid_from, valid_to = snapshot
    params = {"snapshot": pk, "theatre": theatre.pk, "published": Status.PUBLISHED, "date": valid_from}
    found = rows_of(CONTROL_SQL, params)
    rows = [
        (wkb, faction_id, slug, name or NO_DATA_NAME, short or NO_DATA_NAME, kind or "status", color or NO_DATA_COLOR,
         round(area, 1), round(gained, 1), round(lost, 1), valid_from, valid_to, changes or "", sources)
        for wkb, faction_id, slug, name, short, kind, color, area, gained, lost, changes, sources in found
    ]  # fmt: skip
    rows.sort(key=lambda row: (-row[7], row[2] or ""))  # largest first, as the API's layer
    table = Table("control", f"Who controls what in {theatre.name} on {date:%Y-%m-%d}, valid [valid_from, valid_to)",
                  "MultiPolygon", CONTROL_FIELDS, iter(rows), label="name")  # fmt: skip
    return Export(theatre, f"{theatre.slug}-control-{date:%Y-%m-%d}", table.description, [table])


EVENT_FIELDS = fields(
    "id:int external_id:str date:date date_precision:str title:str description:str type:str type_label:str "
    "place:str actors:str actor_names:str fatalities:int confidence:str sources:str"
)
EVENTS_SQL = f"""
SELECT ST_AsBinary(event.location), event.id, event.external_id, event.date, event.date_precision, event.title,
    event.description, event.type, coalesce(place.name, event.place_name),
    (SELECT string_agg(f.slug, ' ' ORDER BY f.slug) FROM {EVENT_ACTORS} a JOIN {FACTIONS} f ON f.id = a.faction_id
     WHERE a.event_id = event.id),
    (SELECT string_agg(f.name, '; ' ORDER BY f.slug) FROM {EVENT_ACTORS} a JOIN {FACTIONS} f ON f.id = a.faction_id
     WHERE a.event_id = event.id),
    event.fatalities, event.confidence,
    {sources_json(f"SELECT es.source_id FROM {EVENT_SOURCES} es WHERE es.event_id = event.id")}
FROM {EVENTS} event LEFT JOIN {PLACES} place ON place.id = event.place_id
WHERE event.id IN (%s) ORDER BY event.date, event.id
"""


def events_table(theatre: Theatre, start: dt.date | None, end: dt.date | None) -> tuple[Table, list[str]]:
    """Published events in [start, end) (None: unbounded) but those citing ACLED, and a note
    on those left out."""
    published = Event.objects.filter(theatre=theatre, status=Status.PUBLISHED)
    if start:
        published = published.filter(date__gte=start)
    if end:
        published = published.filter(date__lt=end)
    acled = published.filter(CITES_ACLED).values("pk")
    sql, params = published.exclude(pk__in=acled).values("pk").query.sql_with_params()
    labels = type_labels(theatre.pk)
    rows = (
        (wkb, pk, external, date, precision, title, text, kind, labels.get(kind, kind), *rest)
        for wkb, pk, external, date, precision, title, text, kind, *rest in rows_of(EVENTS_SQL % sql, params)
    )
    during = f" from {start:%Y-%m-%d} to {end:%Y-%m-%d} (the last day excluded)" if start and end else ""
    table = Table("events", f"Published events in {theatre.name}{during}", "Point", EVENT_FIELDS, rows, "title")
    left_out = acled.count()
    table.size = published.count() - left_out
    notes = [
        f"{left_out} published event(s) citing ACLED (Armed Conflict Location & Event Data, {ACLED_URL}) are left "
        f"out: ACLED's terms of use ({ACLED_TERMS_URL}) do not allow giving others direct access to its data. "
        "The map shows them, credited to ACLED; get them from ACLED."
    ] if left_out else []  # fmt: skip
    return table, notes


def events_between(theatre: Theatre, start: dt.date, end: dt.date) -> Export:
    table, notes = events_table(theatre, start, end)
    return Export(theatre, f"{theatre.slug}-events-{start:%Y-%m-%d}-{end:%Y-%m-%d}", table.description, [table], notes)


CHANGE_FIELDS = fields(
    "id:int external_id:str date:date faction_id:int faction:str faction_name:str confidence:str note:str sources:str"
)
CHANGES_SQL = f"""
SELECT ST_AsBinary(change.area), change.id, change.external_id, change.date, change.controller_id, faction.slug,
    faction.name, change.confidence, change.note,
    {sources_json(f"SELECT cs.source_id FROM {CHANGE_SOURCES} cs WHERE cs.controlchange_id = change.id")}
FROM {CHANGES} change JOIN {FACTIONS} faction ON faction.id = change.controller_id
WHERE change.theatre_id = %s AND change.status = %s ORDER BY change.date, change.id
"""
INTERVAL_FIELDS = fields(
    "valid_from:date valid_to:date faction_id:int faction:str name:str holding_id:int area_km2:float "
    "gained_km2:float lost_km2:float"
)
INTERVALS_SQL = f"""
SELECT snapshot.valid_from, snapshot.valid_to, area.controller_id, faction.slug, coalesce(faction.name, %s),
    area.holding_id, holding.area_km2, area.gained_km2, area.lost_km2
FROM {SNAPSHOTS} snapshot JOIN {AREAS} area ON area.snapshot_id = snapshot.id
JOIN {HOLDINGS} holding ON holding.id = area.holding_id LEFT JOIN {FACTIONS} faction ON faction.id = area.controller_id
WHERE snapshot.build_id = %s ORDER BY snapshot.valid_from, area.controller_id NULLS FIRST
"""
HOLDING_FIELDS = fields("holding_id:int faction_id:int faction:str name:str area_km2:float")
HOLDINGS_SQL = f"""
SELECT ST_AsBinary(holding.geom), holding.id, holding.controller_id, faction.slug, coalesce(faction.name, %s),
    holding.area_km2
FROM {HOLDINGS} holding LEFT JOIN {FACTIONS} faction ON faction.id = holding.controller_id
WHERE holding.id IN (SELECT area.holding_id FROM {AREAS} area
                     JOIN {SNAPSHOTS} snapshot ON snapshot.id = area.snapshot_id WHERE snapshot.build_id = %s)
ORDER BY holding.id
"""  # fmt: skip


def history(theatre: Theatre) -> Export | None:
    """The theatre's whole published record: every change with its sources, every interval of the
    current build with each controller's area (a holding, stored once and shared by the intervals
    that point at it), and every event; None before a first build."""
    build = LayerBuild.objects.filter(theatre=theatre, is_current=True).values_list("pk", flat=True).first()
    if build is None:
        return None
    events, notes = events_table(theatre, None, None)
    changes = rows_of(CHANGES_SQL, [theatre.pk, Status.PUBLISHED], AREA_BATCH)
    holdings = rows_of(HOLDINGS_SQL, [NO_DATA_NAME, build], AREA_BATCH)
    tables = [
        Table("changes", "Every published control change: from `date`, its area is held by `faction`", "MultiPolygon",
              CHANGE_FIELDS, changes, "faction_name", AREA_BATCH),
        Table("intervals", "Every interval [valid_from, valid_to) between change dates: each controller's holding",
              None, INTERVAL_FIELDS, rows_of(INTERVALS_SQL, [NO_DATA_NAME, build])),
        Table("holdings", "Each controller's area as it stands for a run of intervals (intervals.holding_id)",
              "MultiPolygon", HOLDING_FIELDS, holdings, "name", AREA_BATCH),
        events,
    ]  # fmt: skip
    title = f"The published record of {theatre.name}: control changes, control intervals, events"
    return Export(theatre, f"{theatre.slug}-history-{dt.datetime.now(dt.UTC):%Y-%m-%d}", title, tables, notes)
