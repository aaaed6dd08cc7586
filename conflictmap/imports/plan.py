"""An import's dry run and its application.

plan() checks each row read from a file against the theatre and the data already there: what
would be created, what updated (matching on the stable external id, so importing the same file
again changes nothing), and every row rejected with its reason. apply() makes the plan real in
one transaction, as one revision per item with the file's name as its reason, every created or
updated item a draft for review (editorial/workflow.py). A row that changes a published item
does not touch it: it becomes a correction waiting for a publisher's approval, as an edit in
the admin does (editorial/proposals.py), and readers keep the published version meanwhile.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from conflictmap.atlas.models import Faction, Source, Theatre
from conflictmap.editorial import history, proposals
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.imports import acled, geojson, kml
from conflictmap.imports.geojson import Ignored, ImportRefused, Rejection, Row
from conflictmap.imports.limits import check_date, fit
from conflictmap.lib.markup import clean_source
from conflictmap.lib.urls import canonical_url
from conflictmap.territory.areas import clip_to_theatre, to_geos
from conflictmap.territory.models import ControlChange

MODELS = {"event": Event, "change": ControlChange}  # Row.kind -> the model it imports into
READERS: dict[str, Callable[[bytes], list[Row | Rejection | Ignored]]] = {
    "geojson": geojson.read,
    "kml": kml.read,
    "kmz": kml.read_kmz,
    "acled": acled.read,
}
logger = logging.getLogger(__name__)


def format_of(filename: str) -> str:
    """The reader for a file, by its extension: .kml, .kmz, .csv (ACLED), else GeoJSON."""
    return {"kml": "kml", "kmz": "kmz", "csv": "acled"}.get(filename.rsplit(".", 1)[-1].lower(), "geojson")


@dataclass
class Plan:
    theatre: Theatre
    create: list[Row] = field(default_factory=list)
    update: list[tuple[Row, object]] = field(default_factory=list)
    correct: list[tuple[Row, object]] = field(default_factory=list)  # published items: proposed for review
    unchanged: list[Row] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)  # in the file, not imported

    def report(self) -> str:
        review = f"{len(self.correct)} corrections of published items for review, " if self.correct else ""
        lines = [f"{len(self.create)} to create, {len(self.update)} to update, {review}{len(self.unchanged)} "
                 f"unchanged, {len(self.rejected)} rejected."]  # fmt: skip
        for action, rows in (("create", self.create), ("update", [row for row, _ in self.update]),
                             ("correct, for review", [row for row, _ in self.correct])):  # fmt: skip
            for row in rows:
                lines.append(f"  {action}: feature {row.number}: {row.kind} {describe(row)}")
                lines += [f"    note: {note}" for note in row.notes]
        lines += [f"  rejected: feature {rejection.number}: {rejection.reason}" for rejection in self.rejected]
        lines += [f"  ignored: {item.what}" for item in self.ignored]
        return "\n".join(lines)

    def outcome(self) -> str:
        """What apply() did, in one sentence for the terminal and the admin."""
        done = f"Imported {len(self.create)} new and {len(self.update)} updated items, as drafts for review"
        if self.correct:
            done += (f"; {len(self.correct)} corrections of published items wait for a publisher's approval "
                     "(readers see the published versions meanwhile)")  # fmt: skip
        return done + "."


def describe(row: Row) -> str:
    name = row.fields.get("title") or row.fields.get("controller")
    return f"{row.fields['date']} {name}" + (f" [{row.external_id}]" if row.external_id else "")


def dry_run(theatre: Theatre, kind: str, data: bytes) -> Plan:
    """Read a file and plan its import: a report, whatever the file holds, or ImportRefused with
    the reason (the file is malformed or hostile, holds nothing to import, or a reader failed in a
    way no check foresaw: the fault is logged for us, the editor told, nothing imported)."""
    try:
        result = plan(theatre, READERS[kind](data))
    except ImportRefused:
        raise
    except Exception as error:  # any file's fault ends in a refusal with its reason
        logger.exception("An import's dry run failed on a %s file", kind)
        raise ImportRefused(f"It could not be read ({type(error).__name__}: {error}).") from error
    if not (result.create or result.update or result.correct or result.unchanged or result.rejected):
        ignored = "; ".join(item.what for item in result.ignored)
        raise ImportRefused(f"It holds nothing to import{f' (only {ignored})' if ignored else ''}.")
    return result


def commit(result: Plan, user, name: str) -> None:
    """apply(), with any failure a refusal: its one transaction leaves the database unchanged."""
    try:
        apply(result, user, name)
    except Exception as error:
        logger.exception("An import of %s failed while applied", name)
        raise ImportRefused(f"Applying it failed ({type(error).__name__}: {error}); nothing was imported.") from error


def plan(theatre: Theatre, rows: list[Row | Rejection | Ignored]) -> Plan:
    result = Plan(theatre)
    factions = dict(Faction.objects.values_list("slug", "pk"))
    ids = {kind: [row.external_id for row in rows if isinstance(row, Row) and row.kind == kind] for kind in MODELS}
    stored = {  # the items already here, in one query per kind rather than one per row
        (kind, item.external_id): item
        for kind, model in MODELS.items()
        for item in model.objects.filter(
            theatre=theatre, external_id__in=[pk for pk in ids[kind] if pk and "\x00" not in pk]
        )
    }
    seen: set[tuple[str, str]] = set()
    for row in rows:
        if isinstance(row, Rejection):
            result.rejected.append(row)
            continue
        if isinstance(row, Ignored):
            result.ignored.append(row)
            continue
        try:
            check(theatre, row, factions)
        except ValidationError as error:
            result.rejected.append(Rejection(row.number, " ".join(error.messages)))
            continue
        if row.external_id and (row.kind, row.external_id) in seen:
            result.rejected.append(Rejection(row.number, f"its id {row.external_id!r} appears earlier in the file"))
            continue
        seen.add((row.kind, row.external_id))
        existing = stored.get((row.kind, row.external_id)) if row.external_id else None
        if existing is None:
            result.create.append(row)
        elif not differs(existing, row):
            result.unchanged.append(row)
        elif not proposals.needs_review(existing.status):
            result.update.append((row, existing))
        elif (waiting := proposals.pending_for(existing)) is None:
            result.correct.append((row, existing))
        elif differs(history.deserialized(type(existing), existing.pk, waiting.data), row):
            result.rejected.append(Rejection(row.number, f"it changes published {existing}, for which a correction "
                                             f"by {waiting.proposed_by or 'an import'} already waits for review: "
                                             "a publisher must decide on that first"))  # fmt: skip
        else:
            result.unchanged.append(row)  # the same correction, waiting already
    return result


def check(theatre: Theatre, row: Row, factions: dict[str, int]) -> None:
    """Make the row's fields what the model stores, or raise ValidationError with the reason."""
    fields = row.fields
    if row.source.get("url") and not row.source["url"].startswith(("https://", "http://")):
        raise ValidationError(f"its source_url {row.source['url'][:80]!r} is not a web address (http or https)")
    check_date(fields["date"], theatre.start_date, theatre.name)
    fit(MODELS[row.kind], fields, row.notes)
    fit(MODELS[row.kind], {"external_id": row.external_id}, row.notes)
    fit(Source, row.source, row.notes, what="source's ")
    if row.kind == "event":
        if fields["type"] not in Event.Type.values:
            raise ValidationError(f"its type {fields['type']!r} is none of {', '.join(Event.Type.values)}")
        for name, choices in (("date_precision", Event.Precision.values), ("confidence", Event.Confidence.values)):
            if name in fields and fields[name] not in choices:
                raise ValidationError(f"its {name} {fields[name]!r} is none of {', '.join(choices)}")
        fields["location"] = to_geos(fields["location"])
        if not theatre.boundary.intersects(fields["location"]):
            raise ValidationError("its point lies outside the theatre")
        fields["description"] = clean_source(fields["description"])
        return
    if fields["controller"] not in factions:
        raise ValidationError(f"its controller {fields['controller']!r} is no faction's slug")
    fields["controller_id"] = factions[fields.pop("controller")]
    fields["area"] = clip_to_theatre(to_geos(fields["area"]), theatre.boundary).geometry  # refuses an area outside


def differs(existing, row: Row) -> bool:
    for name, value in row.fields.items():
        stored = getattr(existing, name)
        same = stored.equals(value) if hasattr(value, "geom_type") and stored is not None else stored == value
        if not same:
            return True
    return False


def apply(result: Plan, user, name: str) -> None:
    """Create and update what the plan says, in one transaction, as drafts; propose the
    corrections of published items for review."""
    reason = f"Imported from {name}"
    with transaction.atomic(), history.recording(user, reason):
        for row in result.create:
            save(row, MODELS[row.kind](theatre=result.theatre))
        for row, existing in result.update:
            save(row, existing)
        for row, existing in result.correct:
            propose(row, existing, user, reason)


def save(row: Row, item) -> None:
    for name, value in row.fields.items():
        setattr(item, name, value)
    item.external_id, item.status = row.external_id, Status.DRAFT
    item.save()
    if row.actors:
        item.actors.set(Faction.objects.filter(slug__in=row.actors))
    if source := source_of(row):
        item.sources.add(source)


def propose(row: Row, item, user, reason: str) -> None:
    """The row's fields and links as a correction of the published `item`, which stays as it is."""
    base = item.version
    links = {"sources": list(item.sources.values_list("pk", flat=True))}
    if row.actors:
        links["actors"] = list(Faction.objects.filter(slug__in=row.actors).values_list("pk", flat=True))
    if source := source_of(row):
        links["sources"] = sorted({*links["sources"], source.pk})
    for name, value in row.fields.items():
        setattr(item, name, value)
    proposals.propose(user, item, base, links, reason, "")


def source_of(row: Row) -> Source | None:
    """The row's source, found or created by its address and title; None if it names none."""
    if not row.source:
        return None
    url = canonical_url(row.source.get("url", ""))
    title, publisher = row.source.get("title") or url or "Imported", row.source.get("publisher", "")
    source, _ = Source.objects.get_or_create(url=url, title=title, defaults={"publisher": publisher})
    return source
