"""Phase one of a rebuild: the latest layer alone, in about a second.

The current build's latest partition with the stale region spliced in (territory.splice).
Used by territory.build.rebuild before it builds the other dates (phase two).
"""

import datetime as dt

from django.db import transaction
from django.db.models import Max

from conflictmap.atlas.models import Faction, Status, Theatre
from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.partition import Territory
from conflictmap.territory.models import ControlChange, LayerBuild, LayerHead
from conflictmap.territory.overview import overview_of
from conflictmap.territory.payloads import AreaRow, etag_of, geometry_json, snapshot_geojson
from conflictmap.territory.splice import replay, splice_territory
from conflictmap.territory.storage import territory_of


def latest_territory(theatre: Theatre, build: LayerBuild, since: dt.date, region_geos) -> Territory:
    """The partition after every published change: the current build's latest partition with
    the stale region replaced by its replay from `since` (territory.splice)."""
    todo = replay(theatre, build, since, region_geos)
    latest = build.snapshots.filter(valid_to__isnull=True).values_list("pk", flat=True).get()
    return splice_territory(territory_of(latest), todo.region, todo.latest())


def write_head(theatre: Theatre, since: dt.date, region_geos, version: int) -> LayerHead | None:
    """Store the latest layer for data `version`, unless a head of newer data is already there."""
    build = LayerBuild.objects.filter(theatre=theatre, is_current=True).first()
    if build is None:
        return None  # nothing to splice into: the full build comes first
    territory = latest_territory(theatre, build, since, region_geos)
    last_change = ControlChange.objects.filter(theatre=theatre, status=Status.PUBLISHED).aggregate(last=Max("date"))
    valid_from = last_change["last"] or theatre.start_date
    factions = Faction.objects.in_bulk()
    rows = [
        AreaRow(factions.get(controller), geometry_json(geometry), area_km2(geometry), 0.0, 0.0)
        for controller, geometry in territory.items()
    ]
    payload = snapshot_geojson(theatre.slug, valid_from, None, rows)
    with transaction.atomic():
        head = LayerHead.objects.select_for_update().filter(theatre=theatre).first()
        if head and head.version >= version:
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
    overview_of(LayerHead.objects.filter(theatre=theatre, version=version))  # after: the full head is served first
    return head
