"""GET /api/v1/summary/: the map of a date said in words, for screen readers and for anyone.

"On 28 December 2018, Pro-government forces held 114,746 km² (63%), ... Since 14 December 2018,
Pro-government forces took 353 km² from the Syrian Democratic Forces, near Manbij. 11 events
were reported in the two weeks to 28 December 2018." Made from the built layer of the date (its
areas, and what each side gained from which at its first date, and near which town), and the
events' daily counts; every phrase goes
through gettext, so it is said in the reader's language.
"""

import datetime as dt

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from conflictmap.atlas.api import theatre_or_404
from conflictmap.atlas.models import Place
from conflictmap.events import daily
from conflictmap.http.language import localized
from conflictmap.http.queries import TheatreQuery, parse
from conflictmap.http.response_cache import cached
from conflictmap.lib.geodesy import area_km2
from conflictmap.territory.areas import to_shapely
from conflictmap.territory.models import ControlArea, LayerSnapshot
from conflictmap.territory.serve.layer_cache import layers

EVENT_WINDOW_DAYS = 14  # as the map's events list
NEAR_KM = 30
TOWN = 20_000  # people: a place readers are likely to know, preferred when one is near
SHOWN_SHARE = 0.005  # sides holding less than half a percent are summed as "others"


class SummaryQuery(TheatreQuery):
    date = serializers.DateField(help_text="YYYY-MM-DD.")


@extend_schema(parameters=[SummaryQuery], responses=inline_serializer("Summary", {
    "date": serializers.DateField(), "text": serializers.CharField(help_text="In the request's language."),
}))  # fmt: skip
@api_view(["GET"])
def summary(request):
    """The date's map in a few sentences: who held how much, what changed hands since the
    previous change and near where, and how many events were reported."""
    query = parse(SummaryQuery, request.query_params)
    theatre = theatre_or_404(query["theatre"])
    current = layers.theatre(theatre.slug)
    if not current or not current.build or query["date"] < theatre.start_date:
        raise exceptions.NotFound(f"No map of {theatre.name} on {query['date']:%Y-%m-%d}.")
    snapshot = LayerSnapshot.objects.filter(build_id=current.build[0]).covering(query["date"]).first()
    if snapshot is None:
        raise exceptions.NotFound(f"No map of {theatre.name} on {query['date']:%Y-%m-%d} yet.")
    # The response cache keys every answer by the active language too (http/response_cache.py).
    return Response(
        cached(
            theatre.pk,
            request,
            query,
            lambda: {"date": query["date"], "text": text_of(theatre, snapshot, query["date"])},
            variant=str(snapshot.pk),
        )
    )


def text_of(theatre, snapshot: LayerSnapshot, date: dt.date) -> str:
    day = date_format(date, "j F Y")
    areas = list(ControlArea.objects.filter(snapshot=snapshot).select_related("controller", "holding")
                 .order_by("-holding__area_km2"))  # fmt: skip
    total = sum(area.holding.area_km2 for area in areas) or 1
    held = [f"{name_of(area)} {km2(area.holding.area_km2)} ({area.holding.area_km2 / total:.0%})"
            for area in areas if area.holding.area_km2 / total >= SHOWN_SHARE]  # fmt: skip
    if others := sum(area.holding.area_km2 for area in areas if area.holding.area_km2 / total < SHOWN_SHARE):
        held.append(_("others %(km2)s") % {"km2": km2(others)})
    separator = _("; ")  # between the items of a list in a sentence: "؛ " in Arabic
    sentences = [_("On %(day)s, these held: %(held)s.") % {"day": day, "held": separator.join(held)}]
    previous = LayerSnapshot.objects.filter(build_id=snapshot.build_id, valid_to=snapshot.valid_from).first()
    if previous is None:
        sentences.append(_("It is the first map of the record."))
    else:
        since = date_format(previous.valid_from, "j F Y")
        moves = [_("%(gainer)s took %(km2)s from %(loser)s%(near)s") % move for move in moves_of(areas)]
        sentences.append(_("Since %(since)s: %(moves)s.") % {"since": since, "moves": separator.join(moves)} if moves
                         else _("Nothing changed hands since %(since)s.") % {"since": since})  # fmt: skip
    count = daily.between(theatre.pk, date - dt.timedelta(days=EVENT_WINDOW_DAYS), date)
    sentences.append(ngettext("%(count)s event was reported in the two weeks to %(day)s.",
                              "%(count)s events were reported in the two weeks to %(day)s.", count)
                     % {"count": number_format(count, force_grouping=True), "day": day})  # fmt: skip
    return " ".join(sentences)


def moves_of(areas: list[ControlArea]) -> list[dict]:
    """Who took land from whom at the first date of the snapshot whose `areas` these are (at least
    1 km²), largest first, and near which place."""
    gains = [area for area in areas if area.gained_km2 >= 1]
    losses = [area for area in areas if area.lost_km2 >= 1]
    moves = []
    for gain in gains:
        for loss in losses:
            if loss.controller_id == gain.controller_id or not gain.gained.intersects(loss.lost):
                continue
            land = gain.gained.intersection(loss.lost)
            size = area_km2(to_shapely(land))
            if size >= 1:
                moves.append((size, {"gainer": name_of(gain), "loser": name_of(loss), "km2": km2(size),
                                     "near": near(land)}))  # fmt: skip
    return [move for _, move in sorted(moves, key=lambda item: -item[0])]


def near(land) -> str:
    """Where the land is: ", near " the largest of the towns (TOWN people or more) nearest to it
    (within 10 km of each other) inside NEAR_KM, else the nearest place; nothing if none is near."""
    if land.empty:
        return ""
    nearby = Place.objects.filter(point__distance_lte=(land, D(km=NEAR_KM))).annotate(away=Distance("point", land))
    towns = sorted(nearby.filter(population__gte=TOWN).order_by("away")[:10],
                   key=lambda town: (town.away.km // 10, -town.population))  # fmt: skip
    place = towns[0] if towns else nearby.order_by("away").first()
    return _(", near %(place)s") % {"place": localized(place, "name")} if place else ""


def name_of(area: ControlArea) -> str:
    return localized(area.controller, "name") if area.controller else _("No data")


def km2(value: float) -> str:
    return _("%(km2)s km²") % {"km2": number_format(round(value), force_grouping=True)}
