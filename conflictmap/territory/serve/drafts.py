"""The map as it would be with the drafts and the changes in review published: a preview for
staff (GET /api/v1/control/preview/), never cached and never shown to readers.

The drafts' areas are the only places that can differ from the published partition, so it is
that partition with the drafts' region replayed from every change that touches it, as an
edit's splice does (territory.build.splice).
"""

import datetime as dt

import shapely

from conflictmap.atlas.models import Faction, Theatre
from conflictmap.editorial.workflow import Status
from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.geometry import polygonal
from conflictmap.lib.partition import NO_DATA, Territory
from conflictmap.territory.areas import to_geos, to_shapely
from conflictmap.territory.build.payloads import AreaRow, geometry_json, snapshot_geojson
from conflictmap.territory.build.splice import replay, splice_territory
from conflictmap.territory.build.storage import territory_of
from conflictmap.territory.models import ControlChange, LayerBuild, LayerSnapshot

UNPUBLISHED = (Status.DRAFT, Status.REVIEW)


def partition_with_drafts(theatre: Theatre, date: dt.date) -> tuple[Territory, int]:
    """The partition on `date` with drafts and changes in review, and how many of them count."""
    build = LayerBuild.objects.filter(theatre=theatre, is_current=True).first()
    snapshot = (
        LayerSnapshot.objects.filter(build=build).covering(date).values_list("pk", flat=True).first() if build else None
    )
    published: Territory = territory_of(snapshot) if snapshot else {NO_DATA: to_shapely(theatre.boundary)}
    drafts = list(ControlChange.objects.filter(theatre=theatre, status__in=UNPUBLISHED, date__lte=date))
    if not drafts or build is None:
        return published, len(drafts)
    region = polygonal(shapely.union_all([to_shapely(change.area) for change in drafts]))
    since = min(change.date for change in drafts)
    todo = replay(theatre, build, since, to_geos(region), statuses=(Status.PUBLISHED, *UNPUBLISHED), until=date)
    return splice_territory(published, todo.region, todo.latest()), len(drafts)


def preview_geojson(theatre: Theatre, date: dt.date) -> bytes:
    territory, drafts = partition_with_drafts(theatre, date)
    factions = Faction.objects.select_related("parent").in_bulk([pk for pk in territory if pk is not None])
    rows = [
        AreaRow(factions.get(pk), geometry_json(geometry), area_km2(geometry), 0.0, 0.0)
        for pk, geometry in territory.items()
        if not geometry.is_empty
    ]
    collection = snapshot_geojson(theatre.slug, date, None, rows)
    return collection[:-1] + f',"preview":true,"drafts":{drafts}}}'.encode()
