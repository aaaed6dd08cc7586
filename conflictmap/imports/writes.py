"""Writing a sorted chunk of an import (imports/plan.py), inside the commit's transaction and
revision recording.

New events are created in bulk: their rows, their actors' and sources' links and their
revisions in a few queries a chunk, as Event.save() and a recorded save would write them
(description rendered, caches retired, a "created" revision with every field). Saving them one
by one costs five queries each: 200,000 ACLED rows took hours that way, minutes this way
(bench/imports.py). Control changes, updates and corrections go through save(), as an edit in
the admin does: the layers' staleness (territory/stale.py), the version lock and the review of
published items are theirs, and files hold few of them.
"""

from conflictmap.atlas.models import Source, Theatre
from conflictmap.editorial import history, proposals
from conflictmap.editorial.models import Revision
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.http import response_cache
from conflictmap.imports.bulk import copy_in, copy_rows, take_ids
from conflictmap.imports.geojson import Row
from conflictmap.lib.markup import to_html
from conflictmap.lib.urls import canonical_url
from conflictmap.territory.models import ControlChange


class Writer:
    """Writes each chunk a commit hands it; finds each source once per import."""

    def __init__(self, theatre: Theatre, user, reason: str) -> None:
        self.theatre, self.user, self.reason = theatre, user, reason
        self.sources: dict[tuple[str, str], Source] = {}

    def __call__(self, chunk, factions: dict[str, int]) -> None:
        events = [row for row in chunk.create if row.kind == "event"]
        if events:
            self.create_events(events, factions)
        for row in chunk.create:
            if row.kind == "change":
                self.save(row, ControlChange(theatre=self.theatre), factions)
        for row, existing in chunk.update:
            self.save(row, existing, factions)
        for row, existing in chunk.correct:
            self.propose(row, existing, factions)

    def create_events(self, rows: list[Row], factions: dict[str, int]) -> None:
        """The rows' events, their actors' and sources' links and their revisions, with COPY
        (imports/bulk.py): what Event.save() and a recorded save would write."""
        items = []
        for row, pk in zip(rows, take_ids(Event, len(rows)), strict=True):
            item = Event(pk=pk, theatre=self.theatre, external_id=row.external_id, status=Status.DRAFT, **row.fields)
            item.description_html = to_html(item.description)
            items.append(item)
        copy_in(Event, items)
        links: dict[int, dict[str, list[int]]] = {}
        actors, sources = [], []
        for row, item in zip(rows, items, strict=True):
            ids = sorted({factions[slug] for slug in row.actors})
            source = self.source_of(row)
            links[item.pk] = {"actors": ids, "sources": [source.pk] if source else []}
            actors += [(item.pk, pk) for pk in ids]
            if source:
                sources.append((item.pk, source.pk))
        copy_rows(Event.actors.through, ["event_id", "faction_id"], actors)
        copy_rows(Event.sources.through, ["event_id", "source_id"], sources)
        copy_in(Revision, history.created_revisions(Event, items, links))
        response_cache.bump(self.theatre.pk)

    def save(self, row: Row, item, factions: dict[str, int]) -> None:
        for name, value in row.fields.items():
            setattr(item, name, value)
        item.external_id, item.status = row.external_id, Status.DRAFT
        item.save()
        if row.actors:
            item.actors.set([factions[slug] for slug in row.actors])
        if source := self.source_of(row):
            item.sources.add(source)

    def propose(self, row: Row, item, factions: dict[str, int]) -> None:
        """The row's fields and links as a correction of the published `item`, which stays as it is."""
        base = item.version
        links = {"sources": list(item.sources.values_list("pk", flat=True))}
        if row.actors:
            links["actors"] = sorted(factions[slug] for slug in row.actors)
        if source := self.source_of(row):
            links["sources"] = sorted({*links["sources"], source.pk})
        for name, value in row.fields.items():
            setattr(item, name, value)
        proposals.propose(self.user, item, base, links, self.reason, "")

    def source_of(self, row: Row) -> Source | None:
        """The row's source, found or created by its address and title; None if it names none."""
        if not row.source:
            return None
        url = canonical_url(row.source.get("url", ""))
        title, publisher = row.source.get("title") or url or "Imported", row.source.get("publisher", "")
        if (url, title) not in self.sources:
            self.sources[url, title], _ = Source.objects.get_or_create(
                url=url, title=title, defaults={"publisher": publisher}
            )
        return self.sources[url, title]
