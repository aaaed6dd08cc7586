"""The public corrections log: every edit to a control change or an event that readers had
already seen, with its date, what changed and the editor's note, as newsrooms print corrections.

Read from the revisions (atlas/history.py): a revision is a correction when the item was
published just before it and is published or retracted after it (a retraction is listed too),
or when a published item was deleted. First publications are not corrections.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import OuterRef, Q, Subquery

from conflictmap.atlas.history import differences
from conflictmap.atlas.models import Faction, Revision, Status

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

    models = {ContentType.objects.get_for_model(model).pk: model for model in (ControlChange, Event)}
    before = Revision.objects.filter(
        content_type=OuterRef("content_type"), object_id=OuterRef("object_id"), id__lt=OuterRef("id")
    ).order_by("-id")
    rows = (
        Revision.objects.filter(content_type__in=models)
        .annotate(before=Subquery(before.values("data")[:1]), before_status=Subquery(before.values("data__status")[:1]))
        .filter(Q(action="deleted", data__status=Status.PUBLISHED) | Q(before_status=Status.PUBLISHED))
        .filter(data__status__in=[Status.PUBLISHED, Status.RETRACTED])
        .order_by("-created_at", "-id")
    )
    if theatre is not None:
        rows = rows.filter(data__theatre=theatre)
    found = []
    factions = dict(Faction.objects.values_list("pk", "name"))
    for revision in rows[: limit * 2]:  # some prove to change bookkeeping only
        model = models[revision.content_type_id]
        changed = [name for name, _, _ in differences(revision.before, revision.data) if name not in NOT_CONTENT]
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
    if model._meta.model_name == "event":
        return f"Event of {data['date']}: {data['title']}"
    return f"Control change of {data['date']}: the area taken by {factions.get(data['controller'], 'a faction')}"
