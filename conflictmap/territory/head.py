"""Phase one of a rebuild: the latest layer alone, in about a second, spliced from the current build.

Only the stale region (LayerState.dirty_region: the old and new areas of every edited change)
can differ between the current build's latest layer and the right one. So the head is the
current latest layer outside the region, plus, inside it, the state just before the stale date
replayed with the published changes since then that touch the region. Used by
territory.build.rebuild before the full incremental build (phase two) starts.
"""

import datetime as dt

from django.db import transaction
from django.db.models import Max
from shapely.geometry import MultiPolygon

from conflictmap.atlas.models import Faction, Status, Theatre
from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.geometry import clip, difference, intersection, union
from conflictmap.lib.partition import NO_DATA, Change, Territory, derive_intervals
from conflictmap.territory.areas import to_shapely
from conflictmap.territory.models import ControlChange, LayerBuild, LayerHead, LayerSnapshot
from conflictmap.territory.overview import overview_of
from conflictmap.territory.payloads import AreaRow, etag_of, geometry_json, snapshot_geojson


def snapshot_on(build: LayerBuild, date: dt.date) -> LayerSnapshot | None:
    return LayerSnapshot.objects.filter(build=build).covering(date).prefetch_related("areas").first()


def latest_territory(theatre: Theatre, build: LayerBuild, since: dt.date, region_geos) -> Territory:
    """The partition after every published change, computed by splicing the stale region.

    1. The state inside the region the day before `since`, from the current build.
    2. Replay the published changes from `since` on that touch the region, clipped to it.
    3. The current build's latest partition outside the region, joined with the replay inside.
    """
    region = clip(to_shapely(region_geos), to_shapely(theatre.boundary))
    before = snapshot_on(build, since - dt.timedelta(days=1))
    inside: Territory = {}
    for area in before.areas.all() if before else []:
        if not (piece := intersection(to_shapely(area.geom), region)).is_empty:
            inside[area.controller_id] = piece
    if not before:
        inside = {NO_DATA: region}
    changes = ControlChange.objects.filter(
        theatre=theatre, status=Status.PUBLISHED, date__gte=since, area__intersects=region_geos
    ).order_by("date", "id")
    replayed = derive_intervals(region, inside, [Change(c.date, c.controller_id, to_shapely(c.area)) for c in changes])
    inside = replayed[-1].territory if replayed else inside
    latest = build.snapshots.filter(valid_to__isnull=True).prefetch_related("areas").get()
    result: Territory = {}
    for area in latest.areas.all():
        held = to_shapely(area.geom)
        if held.intersects(region):
            held = difference(held, region)
        if not held.is_empty:
            result[area.controller_id] = held
    for controller, piece in inside.items():
        result[controller] = union(result.get(controller, MultiPolygon()), piece)
    return result


def write_head(theatre: Theatre, since: dt.date, region_geos, version: int) -> LayerHead | None:
    """Store the latest layer for data `version`, unless a head of newer data is already there."""
    build = LayerBuild.objects.filter(theatre=theatre, is_current=True).first()
    if build is None:
        return None  # nothing to splice into: the full build comes first
    territory = latest_territory(theatre, build, since, region_geos)
    last_change = ControlChange.objects.filter(theatre=theatre, status=Status.PUBLISHED).aggregate(last=Max("date"))
    valid_from = last_change["last"] or theatre.start_date
    factions = {faction.pk: faction for faction in Faction.objects.all()}
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
