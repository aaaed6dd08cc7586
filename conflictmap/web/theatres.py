"""The landing page's list of wars: each theatre with the dates its record covers, its last
control change and its latest social image, so a reader picks one without opening each."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, OuterRef, Subquery

from conflictmap.atlas.models import Theatre
from conflictmap.editorial.workflow import Status
from conflictmap.embeds import social
from conflictmap.events.models import Event
from conflictmap.http.language import localized
from conflictmap.territory.models import ControlChange


@dataclass(frozen=True)
class Listed:
    theatre: Theatre
    name: str
    description: str
    start: dt.date
    last_change: dt.date | None  # of control, published
    last_event: dt.date | None
    events: int
    card: str | None  # the social image of its latest map, once a layer is built

    @property
    def end(self) -> dt.date:
        """The last date its record holds: of a change, an event, or its start."""
        return max(filter(None, [self.last_change, self.last_event, self.start]))


def published(model, field: str):
    rows = model.objects.filter(theatre=OuterRef("pk"), status=Status.PUBLISHED).order_by()
    return Subquery(rows.values("theatre").annotate(value=field).values("value"))


def listed(origin: str) -> list[Listed]:
    """Every theatre, the most recently active first (one query for the figures, one per card)."""
    theatres = Theatre.objects.defer("boundary").annotate(
        last_change=published(ControlChange, Max("date")),
        last_event=published(Event, Max("date")),
        event_count=published(Event, Count("pk")),
    )
    found = [
        Listed(theatre, localized(theatre, "name"), localized(theatre, "description"), theatre.start_date,
               theatre.last_change, theatre.last_event, theatre.event_count or 0,
               social.card_url(origin, social.card_query(theatre, {}, theatre.name)))
        for theatre in theatres
    ]  # fmt: skip
    found.sort(key=lambda item: item.name)
    return sorted(found, key=lambda item: item.end, reverse=True)
