"""An import's dry run and its commit: one streamed pass over the file each.

walk() reads a file's rows a chunk at a time (CHUNK rows), finds the items already here in one
query per chunk (matched on the stable external id, so importing the same file again changes
nothing), and sorts each row: to create, to update, a correction of a published item (which
waits for a publisher's approval, as an edit in the admin does: editorial/proposals.py),
unchanged, or rejected with its reason. A dry run keeps only what its report says, a line per
row, never the rows themselves; a commit writes each chunk as it is sorted (imports/writes.py),
every created or updated item a draft for review, in one transaction that is rolled back if any
row is rejected: nothing of a file is imported unless all of it is. So a 200,000-row ACLED
export is checked, or imported, in bounded memory and a few minutes (bench/imports.py).
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from types import SimpleNamespace

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction

from conflictmap.atlas.models import Faction, Source, Theatre
from conflictmap.editorial import history, proposals
from conflictmap.events.models import Event
from conflictmap.imports import acled, geojson, kml
from conflictmap.imports.geojson import Ignored, ImportRefused, Rejection, Row
from conflictmap.imports.limits import check_date, fit
from conflictmap.imports.writes import Writer
from conflictmap.lib.markup import clean_source
from conflictmap.territory.areas import clip_to_theatre, to_geos
from conflictmap.territory.models import ControlChange

MODELS = {"event": Event, "change": ControlChange}  # Row.kind -> the model it imports into
READERS: dict[str, Callable[[bytes], Iterable[Row | Rejection | Ignored]]] = {
    "geojson": geojson.read,
    "kml": kml.read,
    "kmz": kml.read_kmz,
    "acled": acled.read,
}
# An event's fields with choices, and theirs (read once: an enum's .values builds a new list).
EVENT_CHOICES = {"type": Event.Type.values, "date_precision": Event.Precision.values,
                 "confidence": Event.Confidence.values}  # fmt: skip
CHUNK = 2000  # rows sorted, and written, together: one lookup query and a few bulk writes each
Progress = Callable[[int], None]  # called with the number of rows read so far, after each chunk
logger = logging.getLogger(__name__)


def format_of(filename: str) -> str:
    """The reader for a file, by its extension: .kml, .kmz, .csv (ACLED), else GeoJSON."""
    return {"kml": "kml", "kmz": "kmz", "csv": "acled"}.get(filename.rsplit(".", 1)[-1].lower(), "geojson")


def expected_rows(kind: str, data: bytes) -> int | None:
    """About how many rows a file holds, for progress: a CSV's lines (a note may span several),
    None for the formats read whole, which are read in a moment."""
    return max(data.count(b"\n") - 1, 1) if kind == "acled" else None


@dataclass(slots=True)
class Listed:
    """A row as the report lists it."""

    number: int
    kind: str
    text: str
    notes: list[str]


@dataclass
class Sorted:
    """One chunk's rows, sorted: what a commit writes (imports/writes.py)."""

    create: list[Row] = field(default_factory=list)
    update: list[tuple[Row, object]] = field(default_factory=list)
    correct: list[tuple[Row, object]] = field(default_factory=list)  # published items: proposed for review
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)  # in the file, not imported


@dataclass
class Plan:
    """What a file holds, as its report says it: a line per row, the rows themselves let go."""

    theatre: Theatre
    create: list[Listed] = field(default_factory=list)
    update: list[Listed] = field(default_factory=list)
    correct: list[Listed] = field(default_factory=list)
    unchanged: int = 0
    rejected: list[Rejection] = field(default_factory=list)
    ignored: list[Ignored] = field(default_factory=list)

    def add(self, chunk: Sorted) -> None:
        self.create += [listed(row) for row in chunk.create]
        self.update += [listed(row) for row, _ in chunk.update]
        self.correct += [listed(row) for row, _ in chunk.correct]
        self.unchanged += chunk.unchanged
        self.rejected += chunk.rejected
        self.ignored += chunk.ignored

    def importable(self) -> bool:
        return bool(self.create or self.update or self.correct)

    def report(self, listed_up_to: int | None = None) -> str:
        """The counts, then the rows: every rejection and what is ignored, and up to `listed_up_to`
        rows of each action (all with None)."""
        review = f"{len(self.correct):,} corrections of published items for review, " if self.correct else ""
        lines = [f"{len(self.create):,} to create, {len(self.update):,} to update, {review}{self.unchanged:,} "
                 f"unchanged, {len(self.rejected):,} rejected."]  # fmt: skip
        for action, rows in (("create", self.create), ("update", self.update), ("correct, for review", self.correct)):
            for row in rows[:listed_up_to]:
                lines.append(f"  {action}: feature {row.number}: {row.kind} {row.text}")
                lines += [f"    note: {note}" for note in row.notes]
            if listed_up_to is not None and len(rows) > listed_up_to:
                lines.append(f"  ...and {len(rows) - listed_up_to:,} more to {action.split(',')[0]}")
        lines += [f"  rejected: feature {rejection.number}: {rejection.reason}" for rejection in self.rejected]
        lines += [f"  ignored: {item.what}" for item in self.ignored]
        return "\n".join(lines)

    def outcome(self) -> str:
        """What a commit did, in one sentence for the terminal and the admin."""
        done = f"Imported {len(self.create):,} new and {len(self.update):,} updated items, as drafts for review"
        if self.correct:
            done += (f"; {len(self.correct):,} corrections of published items wait for a publisher's approval "
                     "(readers see the published versions meanwhile)")  # fmt: skip
        return done + "."


def listed(row: Row) -> Listed:
    name = row.fields.get("title") or f"controlled by {row.label}"
    text = f"{row.fields['date']} {name}" + (f" [{row.external_id}]" if row.external_id else "")
    return Listed(row.number, row.kind, text, row.notes)


def dry_run(theatre: Theatre, kind: str, data: bytes, progress: Progress | None = None) -> Plan:
    """Read a file and plan its import: a report, whatever the file holds, or ImportRefused with
    the reason (the file is malformed or hostile, holds nothing to import, or a reader failed in a
    way no check foresaw: the fault is logged for us, the editor told, nothing imported)."""
    try:
        result = walk(theatre, kind, data, None, progress)
    except ImportRefused:
        raise
    except Exception as error:  # any file's fault ends in a refusal with its reason
        logger.exception("An import's dry run failed on a %s file", kind)
        raise ImportRefused(f"It could not be read ({type(error).__name__}: {error}).") from error
    return something_in(result)


def commit(theatre: Theatre, kind: str, data: bytes, user, name: str, progress: Progress | None = None) -> Plan:
    """Read the file again and import it, a chunk at a time, in one transaction: all of it, or,
    if any row is rejected (the file or the data changed since its dry run), nothing (the plan
    says why). Any failure is a refusal, the database left unchanged."""
    try:
        with transaction.atomic():
            with history.recording(user, reason := f"Imported from {name}"):
                result = walk(theatre, kind, data, Writer(theatre, user, reason), progress)
            if result.rejected:
                transaction.set_rollback(True)
    except ImportRefused:
        raise
    except Exception as error:
        logger.exception("An import of %s failed while read or applied", name)
        raise ImportRefused(f"It could not be read or applied ({type(error).__name__}: {error}); "
                            "nothing was imported.") from error  # fmt: skip
    return something_in(result)


def something_in(result: Plan) -> Plan:
    if not (result.importable() or result.unchanged or result.rejected):
        ignored = "; ".join(item.what for item in result.ignored)
        raise ImportRefused(f"It holds nothing to import{f' (only {ignored})' if ignored else ''}.")
    return result


def walk(theatre: Theatre, kind: str, data: bytes, write: Writer | None, progress: Progress | None) -> Plan:
    """Sort the file's rows a chunk at a time; `write` each chunk while nothing is rejected."""
    result = Plan(theatre)
    factions = dict(Faction.objects.filter(theatres=theatre).values_list("slug", "pk"))  # this war's
    inside = theatre.boundary.prepared  # one prepared outline for every point
    seen: set[tuple[str, str]] = set()
    # The theatre's imported items, id -> pk, read once: each chunk then fetches its own by primary
    # key. (Asked by external id, PostgreSQL reads every event of the theatre for each chunk once
    # a commit has grown the table past what its statistics say: minutes, not seconds.)
    known = {kind: dict(model.objects.filter(theatre=theatre).exclude(external_id="")
                        .values_list("external_id", "pk")) for kind, model in MODELS.items()}  # fmt: skip
    done = 0
    for rows in chunks(READERS[kind](data)):
        chunk = sort(theatre, rows, factions, inside, seen, known)
        result.add(chunk)
        if write is not None and not result.rejected:
            write(chunk, factions)
        done += len(rows)
        if progress is not None:
            progress(done)
    return result


def chunks(rows: Iterable) -> Iterator[list]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def sort(theatre: Theatre, rows: list, factions: dict[str, int], inside, seen: set[tuple[str, str]],
         known: dict[str, dict[str, int]]) -> Sorted:  # fmt: skip
    result = Sorted()
    checked: list[Row] = []
    for row in rows:
        if isinstance(row, Rejection):
            result.rejected.append(row)
            continue
        if isinstance(row, Ignored):
            result.ignored.append(row)
            continue
        try:
            check(theatre, row, factions, inside)
        except ValidationError as error:
            result.rejected.append(Rejection(row.number, " ".join(error.messages)))
            continue
        if row.external_id and (row.kind, row.external_id) in seen:
            result.rejected.append(Rejection(row.number, f"its id {row.external_id!r} appears earlier in the file"))
            continue
        seen.add((row.kind, row.external_id))
        checked.append(row)
    here = [row for row in checked if row.external_id in known[row.kind]]
    matched = {id(row) for row in here}
    stored = stored_values(here, known)
    changed = [row for row in here if differs(stored[row.kind, row.external_id], row)]
    items = {  # whole items only for the rows that change them: one query per kind
        (kind, item.external_id): item
        for kind, model in MODELS.items()
        if (pks := [known[kind][row.external_id] for row in changed if row.kind == kind])
        for item in model.objects.filter(pk__in=pks)
    }
    for row in checked:
        existing = items.get((row.kind, row.external_id))
        if id(row) not in matched:
            result.create.append(row)
        elif existing is None:
            result.unchanged += 1
        elif not proposals.needs_review(existing.status):
            result.update.append((row, existing))
        elif (waiting := proposals.pending_for(existing)) is None:
            result.correct.append((row, existing))
        elif differs(history.deserialized(type(existing), existing.pk, waiting.data), row):
            result.rejected.append(Rejection(row.number, f"it changes published {existing}, for which a correction "
                                             f"by {waiting.proposed_by or 'an import'} already waits for review: "
                                             "a publisher must decide on that first"))  # fmt: skip
        else:
            result.unchanged += 1  # the same correction, waiting already
    return result


def stored_values(rows: list[Row], known: dict[str, dict[str, int]]) -> dict[tuple[str, str], SimpleNamespace]:
    """The stored values of the fields `rows` set, of the items they match: values, not whole
    items, as most rows of a file imported again match theirs (a sixth of such a run built items)."""
    found = {}
    for kind, model in MODELS.items():
        mine = [row for row in rows if row.kind == kind]
        if mine:
            names = {name for row in mine for name in row.fields}
            query = model.objects.filter(pk__in=[known[kind][row.external_id] for row in mine])
            found.update({(kind, values["external_id"]): SimpleNamespace(**values)
                          for values in query.values("external_id", *names)})  # fmt: skip
    return found


def check(theatre: Theatre, row: Row, factions: dict[str, int], inside) -> None:
    """Make the row's fields what the model stores, or raise ValidationError with the reason."""
    fields = row.fields
    if row.source.get("url") and not row.source["url"].startswith(("https://", "http://")):
        raise ValidationError(f"its source_url {row.source['url'][:80]!r} is not a web address (http or https)")
    check_date(fields["date"], theatre.start_date, theatre.name)
    for slug in [slug for slug in row.actors if slug not in factions]:
        row.actors.remove(slug)
        row.notes.append(
            f"its actor {slug!r} (as mapped in imports: name mappings) is no faction of {theatre.name}, so left out"
        )
    fit(MODELS[row.kind], fields, row.notes)
    fit(MODELS[row.kind], {"external_id": row.external_id}, row.notes)
    fit(Source, row.source, row.notes, what="source's ")
    if row.kind == "event":
        for name, choices in EVENT_CHOICES.items():
            if name in fields and fields[name] not in choices:
                raise ValidationError(f"its {name} {fields[name]!r} is none of {', '.join(choices)}")
        point = fields["location"]
        fields["location"] = Point(point.x, point.y, srid=4326)  # as to_geos would, without a trip through WKB
        if not inside.intersects(fields["location"]):
            raise ValidationError("its point lies outside the theatre")
        fields["description"] = clean_source(fields["description"])
        return
    if fields["controller"] not in factions:
        raise ValidationError(
            f"its controller {fields['controller']!r} is no faction of {theatre.name} (Factions › its theatres)"
        )
    row.label = fields["controller"]
    fields["controller_id"] = factions[fields.pop("controller")]
    fields["area"] = clip_to_theatre(to_geos(fields["area"]), theatre.boundary).geometry  # refuses an area outside


def differs(existing, row: Row) -> bool:
    for name, value in row.fields.items():
        stored = getattr(existing, name)
        same = stored.equals(value) if hasattr(value, "geom_type") and stored is not None else stored == value
        if not same:
            return True
    return False
