"""What saving a control change would move, before it is saved: the km² each controller would
lose to the new one on its date, in the partition as published (drafts are not in it)."""

import datetime as dt

from conflictmap.atlas.models import Faction, Theatre
from conflictmap.editorial.workflow import Status
from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.geometry import intersection_near
from conflictmap.lib.partition import NO_DATA, NO_DATA_COLOR, NO_DATA_NAME, Territory
from conflictmap.territory.areas import clip_to_theatre, to_shapely
from conflictmap.territory.build.splice import replay, splice_territory
from conflictmap.territory.build.storage import territory_of
from conflictmap.territory.models import ControlChange, LayerBuild, LayerSnapshot


def preview(theatre: Theatre, date: dt.date, controller: Faction, area, editing: ControlChange | None = None) -> dict:
    """{area_km2, repaired, moves: [{faction, name, color, km2}]}: each controller's loss as a
    negative km², the new controller's gain last. Raises ValidationError as saving would.
    `editing`: the published change being edited, which the map it is measured against leaves
    out (else the edit would be measured against itself, and move nothing)."""
    clipped = clip_to_theatre(area, theatre.boundary)
    drawn = to_shapely(clipped.geometry)
    build = LayerBuild.objects.filter(theatre=theatre, is_current=True).first()
    snapshot = LayerSnapshot.objects.filter(build=build).covering(date).values_list("pk", flat=True).first()
    held: Territory = territory_of(snapshot) if snapshot else {NO_DATA: to_shapely(theatre.boundary)}
    # The change as published, not as the form has it; only one in effect on `date` is in the map.
    published = (
        ControlChange.objects.filter(pk=editing.pk, status=Status.PUBLISHED, date__lte=date) if editing else None
    )
    if build is not None and published is not None and (stored := published.first()) is not None:
        todo = replay(theatre, build, stored.date, stored.area, until=date, without=stored.pk)
        held = splice_territory(held, todo.region, todo.latest())
    factions = Faction.objects.select_related("parent").in_bulk([pk for pk in held if pk is not None] + [controller.pk])
    moves = []
    for holder, geometry in held.items():
        if holder == controller.pk:
            continue
        if (km2 := area_km2(intersection_near(geometry, drawn))) > 0:
            moves.append(move(factions.get(holder), -km2))
    moves.sort(key=lambda item: item["km2"])
    moves.append(move(controller, -sum(item["km2"] for item in moves)))
    return {"area_km2": area_km2(drawn), "repaired": clipped.repaired, "moves": moves}


def move(faction: Faction | None, km2: float) -> dict:
    if faction is None:
        return {"faction": None, "name": NO_DATA_NAME, "color": NO_DATA_COLOR, "km2": round(km2, 1)}
    return {"faction": faction.slug, "name": faction.name, "color": faction.color, "km2": round(km2, 1)}
