"""GET /api/v1/control/at/: who held a spot of a theatre on a date, since when, by which change,
and the spot's whole history as runs of controllers.

Answered from the published control changes themselves, not from the built layers: the partition
at a point is the last change (in date, then id order, as the build applies them) whose area
covers it, so a spatial index on the changes' areas finds the few candidates (about 40 at the
8-year bench scale) and no layer has to be read. It agrees with the layers everywhere but within
the build's grid (1e-6°) of a border, and it already knows an edit the build has not reached.
"""

import datetime as dt
from dataclasses import dataclass, replace

from django.contrib.gis.geos import Point
from django.db.models import Max
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from conflictmap.atlas.api import theatre_or_404
from conflictmap.atlas.models import Faction, Theatre
from conflictmap.atlas.serializers import SourceSerializer
from conflictmap.editorial.workflow import Status
from conflictmap.http.queries import TheatreQuery, parse
from conflictmap.territory.build.scrubbing import controller_entry
from conflictmap.territory.models import Confidence, ControlChange


class PlaceQuery(TheatreQuery):
    lat = serializers.FloatField(min_value=-90, max_value=90, help_text="Latitude, WGS 84.")
    lon = serializers.FloatField(min_value=-180, max_value=180, help_text="Longitude, WGS 84.")
    date = serializers.DateField(required=False, help_text="YYYY-MM-DD; the latest when left out.")


@dataclass(frozen=True)
class Run:
    """A stretch of days [start, end) during which one controller (None: no data) held the spot,
    from the change `change_id` on; `levels`: how sure the record is of it, (first day, level)
    each time that changed within the run (a contested run later confirmed has two)."""

    start: dt.date
    end: dt.date | None
    controller_id: int | None
    change_id: int | None
    levels: tuple[tuple[dt.date, str], ...] = ()


def runs_at(theatre: Theatre, point: Point) -> list[Run]:
    """The spot's history: a run from the theatre's start, then one per change of controller."""
    covering = (
        ControlChange.objects.filter(theatre=theatre, status=Status.PUBLISHED, area__covers=point)
        .order_by("date", "id")
        .values_list("date", "controller_id", "id", "confidence")
    )
    by_date = {date: (controller, change, level) for date, controller, change, level in covering}  # the last wins
    runs: list[Run] = []
    for date, (controller, change, level) in by_date.items():
        if runs and runs[-1].controller_id == controller:  # the same side again: its run goes on
            if runs[-1].levels[-1][1] != level:
                runs[-1] = replace(runs[-1], levels=(*runs[-1].levels, (date, level)))
            continue
        if runs:
            runs[-1] = replace(runs[-1], end=date)
        runs.append(Run(date, None, controller, change, ((date, level),)))
    if not runs or runs[0].start > theatre.start_date:
        runs.insert(0, Run(theatre.start_date, runs[0].start if runs else None, None, None))
    return runs


PLACE = inline_serializer("PlaceHistory", {
    "theatre": serializers.CharField(), "lat": serializers.FloatField(), "lon": serializers.FloatField(),
    "date": serializers.DateField(help_text="The date asked for, or the latest (the theatre's last change)."),
    "held_by": serializers.DictField(help_text="The controller on `date`: faction (slug; null for no data), name, "
                                     "short_name, color."),
    "since": serializers.DateField(help_text="The first day of its run, to `date`."),
    "until": serializers.DateField(allow_null=True, help_text="The day it lost the spot, if it did (exclusive)."),
    "confidence": serializers.DictField(allow_null=True, help_text="How sure the record is of it on `date`: level "
                                        "(confirmed, assessed, claimed, contested), label, since. Null for no data."),
    "change": serializers.DictField(allow_null=True, help_text="The published change that gave it the spot: id, "
                                    "date, note, sources. Null for no data."),
    "history": serializers.ListField(child=serializers.DictField(), help_text="Every run from the theatre's start: "
                                     "start, end (exclusive; null: until now), change_id, the controller as held_by, "
                                     "and levels: [{start, level}] each time its confidence changed."),
})  # fmt: skip


@extend_schema(parameters=[PlaceQuery], responses=PLACE)
@api_view(["GET"])
def control_at(request):
    """Who held the spot (lat, lon) on `date`, since when and by which change, and its history."""
    query = parse(PlaceQuery, request.query_params)
    theatre = theatre_or_404(query["theatre"])
    point = Point(query["lon"], query["lat"], srid=4326)
    if not Theatre.objects.filter(pk=theatre.pk, boundary__covers=point).exists():
        raise exceptions.NotFound(f"({query['lat']}, {query['lon']}) is outside {theatre.name}.")
    published = ControlChange.objects.filter(theatre=theatre, status=Status.PUBLISHED)
    date = query.get("date") or published.aggregate(last=Max("date"))["last"] or theatre.start_date
    if date < theatre.start_date:
        raise exceptions.NotFound(f"No map of {theatre.name} before {theatre.start_date:%Y-%m-%d}.")
    runs = runs_at(theatre, point)
    current = next(run for run in reversed(runs) if run.start <= date)
    held = Faction.objects.select_related("parent").in_bulk({run.controller_id for run in runs if run.controller_id})

    def holder(run: Run) -> dict:
        return controller_entry(held.get(run.controller_id) if run.controller_id else None)

    level = next(((start, name) for start, name in reversed(current.levels) if start <= date), None)
    return Response({
        "theatre": theatre.slug, "lat": query["lat"], "lon": query["lon"], "date": date,
        "held_by": holder(current), "since": current.start, "until": current.end,
        "confidence": {"level": level[1], "label": Confidence(level[1]).label, "since": level[0]} if level else None,
        "change": change_of(current.change_id) if current.change_id else None,
        "history": [{"start": run.start, "end": run.end, "change_id": run.change_id, **holder(run),
                     "levels": [{"start": start, "level": name} for start, name in run.levels]} for run in runs],
    })  # fmt: skip


def change_of(change_id: int) -> dict:
    change = ControlChange.objects.prefetch_related("sources").get(pk=change_id)
    sources = SourceSerializer(change.sources.all(), many=True).data
    return {"id": change.pk, "date": change.date, "confidence": change.confidence, "note": change.note,
            "sources": sources}  # fmt: skip
