"""Phase one of a rebuild: the latest layer alone, in well under a second.

The current build's latest partition with the stale region spliced in (territory.build.splice).
Used by territory.build.rebuild before it builds the other dates (phase two).

An edit touches a few controllers of the latest date; the others keep the very geometry they
had (splice returns the same object), so their GeoJSON and km² are read as PostGIS encodes
them for any snapshot (storage.AREAS_AS_GEOJSON_SQL) and only the changed ones are encoded
here: at 8 years, encoding every controller in Python was a third of the head's time, and
reading the build with its payloads (LayerBuild.objects now defers them) another sixth.
"""

import datetime as dt

from django.db import connection, transaction
from django.db.models import Max

from conflictmap.atlas.models import Faction, Theatre
from conflictmap.editorial.workflow import Status
from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.partition import Territory
from conflictmap.territory.build.overview import overview_of
from conflictmap.territory.build.payloads import AreaRow, etag_of, geometry_json, snapshot_geojson
from conflictmap.territory.build.splice import replay, splice_territory
from conflictmap.territory.build.storage import AREAS_AS_GEOJSON_SQL, territory_of
from conflictmap.territory.models import ControlChange, LayerBuild, LayerHead


def spliced_latest(theatre: Theatre, build: LayerBuild, since: dt.date, region) -> tuple[int, Territory, Territory]:
    """(snapshot id, partition, new partition): the current build's latest snapshot, and the
    partition after every published change, with the stale region replayed from `since`."""
    todo = replay(theatre, build, since, region)
    latest = build.snapshots.filter(valid_to__isnull=True).values_list("pk", flat=True).get()
    old = territory_of(latest)
    return latest, old, splice_territory(old, todo.region, todo.latest())


def write_head(theatre: Theatre, since: dt.date, region_geos, version: int) -> LayerHead | None:
    """Store the latest layer for data `version`, unless a head of newer data is already there."""
    build = LayerBuild.objects.filter(theatre=theatre, is_current=True).first()
    if build is None:
        return None  # nothing to splice into: the full build comes first
    latest, old, territory = spliced_latest(theatre, build, since, region_geos)
    kept = {controller for controller, geometry in territory.items() if old.get(controller) is geometry}
    last_change = ControlChange.objects.filter(theatre=theatre, status=Status.PUBLISHED).aggregate(last=Max("date"))
    valid_from = last_change["last"] or theatre.start_date
    factions = Faction.objects.select_related("parent").in_bulk()
    with connection.cursor() as cursor:
        cursor.execute(AREAS_AS_GEOJSON_SQL, [latest])
        rows = [
            AreaRow(factions.get(controller), geometry, area, 0.0, 0.0)
            for controller, geometry, area, _, _ in cursor.fetchall()
            if controller in kept
        ]
    rows += [
        AreaRow(factions.get(controller), geometry_json(geometry), area_km2(geometry), 0.0, 0.0)
        for controller, geometry in territory.items()
        if controller not in kept
    ]
    payload = snapshot_geojson(theatre.slug, valid_from, None, rows)
    with transaction.atomic():
        newest = LayerHead.objects.select_for_update().filter(theatre=theatre).values_list("version", flat=True)
        if newest and newest[0] >= version:
            return None
        head, _ = LayerHead.objects.update_or_create(
            theatre=theatre,
            defaults={
                "version": version,
                "valid_from": valid_from,
                "geojson": payload,
                "etag": etag_of(payload),
                "overview": None,
            },
        )
    # After: the full head is served meanwhile, also to maps asking for the country view.
    overview_of(LayerHead.objects.filter(theatre=theatre, version=version))
    return head
