"""The public corrections log: every edit to something readers had already seen, with its
date, what changed and the editor's note, as newsrooms print corrections.

Read from the revisions (editorial/history.py). A control change or an event is corrected when it
was published just before the revision and is published or retracted after it (a retraction is
listed too), or when a published one was deleted; first publications are not corrections.
Factions and sources have no workflow: a faction is public from its creation (the legend), so
every later edit or deletion of one is listed (under every theatre); a source is public while a published item cites
it, so its edits are listed while one does (a source deleted is no longer cited by anything).
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery

from conflictmap.atlas.models import Faction, Source
from conflictmap.editorial.history import changed_fields
from conflictmap.editorial.models import Revision
from conflictmap.editorial.workflow import Status

# Bookkeeping, not content: an edit of these alone is no correction readers need to hear of.
NOT_CONTENT = {"version", "updated_at", "created_at", "submitted_by", "status_comment", "description_html"}


@dataclass(frozen=True)
class Correction:
    when: datetime
    item: str  # what was corrected, for a reader
    kind: str  # "corrected", "retracted" or "deleted"
    fields: list[str]  # the names of what changed, for a reader
    note: str  # the editor's reason


def corrections(theatre=None, limit: int = 100) -> list[Correction]:
    """The newest corrections, of one theatre if given (its id or None)."""
    from conflictmap.events.models import Event
    from conflictmap.territory.models import ControlChange

    types = ContentType.objects.get_for_models(ControlChange, Event, Faction, Source)
    kinds = {model: kind.pk for model, kind in types.items()}
    models = {pk: model for model, pk in kinds.items()}
    before = Revision.objects.filter(
        content_type=OuterRef("content_type"), object_id=OuterRef("object_id"), id__lt=OuterRef("id")
    ).order_by("-id")
    published_item_was_edited = (
        Q(content_type__in=[kinds[ControlChange], kinds[Event]])
        & (Q(action="deleted", data__status=Status.PUBLISHED) | Q(before_status=Status.PUBLISHED))
        & Q(data__status__in=[Status.PUBLISHED, Status.RETRACTED])
    )
    events, changes = (
        Event.objects.filter(status=Status.PUBLISHED),
        ControlChange.objects.filter(status=Status.PUBLISHED),
    )
    if theatre is not None:
        events, changes = events.filter(theatre=theatre), changes.filter(theatre=theatre)
        published_item_was_edited &= Q(data__theatre=theatre)
    cited = Source.objects.filter(Q(pk__in=events.values("sources")) | Q(pk__in=changes.values("sources")))
    rows = (
        Revision.objects.filter(content_type__in=models)
        .annotate(before=Subquery(before.values("data")[:1]), before_status=Subquery(before.values("data__status")[:1]))
        .filter(
            published_item_was_edited
            | Q(content_type=kinds[Faction], action__in=["changed", "deleted"])
            | Q(content_type=kinds[Source], action="changed", object_id__in=cited.values("pk"))
        )
        .order_by("-created_at", "-id")
    )
    found = []
    factions = dict(Faction.objects.values_list("pk", "name"))
    for revision in rows[: limit * 2]:  # some prove to change bookkeeping only
        model = models[revision.content_type_id]
        changed = [name for name in changed_fields(revision.before, revision.data) if name not in NOT_CONTENT]
        kind = "deleted" if revision.action == "deleted" else "retracted" if "status" in changed else "corrected"
        if kind == "corrected" and not changed:
            continue
        labels = [str(model._meta.get_field(name).verbose_name) for name in changed if name != "status"]
        item = describe(model, revision.data, factions)
        found.append(Correction(revision.created_at, item, kind, labels, revision.comment))
        if len(found) == limit:
            break
    return found


def describe(model, data: dict, factions: dict[int, str]) -> str:
    name = model._meta.model_name
    if name == "event":
        return f"Event of {data['date']}: {data['title']}"
    if name == "faction":
        return f"Faction: {data['name']}"
    if name == "source":
        return f"Source: {data['title']}"
    return f"Control change of {data['date']}: the area taken by {factions.get(data['controller'], 'a faction')}"
