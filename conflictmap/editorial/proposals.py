"""Corrections to published items go live only when a second person approves them, as a first
publication does. An editor's edit of a published item in the admin is kept aside as a
Proposal (readers keep the published version); a publisher other than its author approves it,
which saves it as an ordinary revision with the editor's public note (so the corrections log
prints it, and the layers follow), or rejects it. History shows both, with who did what.
"""

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from conflictmap.editorial import history
from conflictmap.editorial.models import Proposal
from conflictmap.editorial.workflow import Status, can_publish

# Typed as members, as workflow.py does its statuses (the choices' class attributes read as tuples to mypy).
PENDING, APPROVED, REJECTED = (Proposal.Outcome(value) for value in ("", "approved", "rejected"))


class CorrectionError(Exception):
    """A decision the user may not make, or no longer can; the message says why."""


def needs_review(stored_status: str) -> bool:
    """Whether an edit of an item in this status waits for a second person."""
    return stored_status == Status.PUBLISHED


def pending_for(item) -> Proposal | None:
    return proposals_of(item).filter(outcome=PENDING).first()


def proposals_of(item):
    kind = ContentType.objects.get_for_model(type(item))
    return Proposal.objects.filter(content_type=kind, object_id=item.pk).select_related("proposed_by", "decided_by")


def propose(user, item, base_version: int, m2m: dict[str, list[int]], note: str, internal: str) -> Proposal:
    """Keep `item` (edited in memory, not saved) and its many-to-many ids aside for review,
    replacing a proposal of the same person still waiting; another person's waiting one refuses.
    `user` is None for an import run from the command line without --user."""
    data = {**history.fields_of(item), **m2m}
    with transaction.atomic():
        waiting = pending_for(item)
        if waiting is not None and waiting.proposed_by_id != getattr(user, "pk", None):
            raise CorrectionError(f"A correction by {waiting.proposed_by} already waits for review: "
                                  "ask a publisher to decide on it first.")  # fmt: skip
        if waiting is not None:
            waiting.delete()  # the same person's earlier draft of this correction
        return Proposal.objects.create(
            content_type=ContentType.objects.get_for_model(type(item)), object_id=item.pk, base_version=base_version,
            data=data, note=note, internal_comment=internal, proposed_by=user,
        )  # fmt: skip


def approve(user, proposal: Proposal, comment: str = ""):
    """Apply the proposal to its item as `user`, in one transaction; returns the item."""
    item = refuse_unless_decidable(user, proposal)
    if item.version != proposal.base_version:
        raise CorrectionError(f"{item} was changed after this correction was proposed: it must be proposed again.")
    internal = "; ".join(part for part in (f"Approved the correction proposed by {proposal.proposed_by}", comment,
                                           proposal.internal_comment) if part)  # fmt: skip
    with transaction.atomic(), history.recording(user, proposal.note, internal):
        history.apply(item, proposal.data)
        decide(user, proposal, APPROVED, comment)
    return item


def reject(user, proposal: Proposal, comment: str) -> None:
    refuse_unless_decidable(user, proposal)
    if not comment.strip():
        raise CorrectionError("Say why in the comment, for the editor and the record.")
    decide(user, proposal, REJECTED, comment)


def refuse_unless_decidable(user, proposal: Proposal):
    item = proposal.content_type.model_class()._base_manager.get(pk=proposal.object_id)
    if proposal.outcome != PENDING:
        raise CorrectionError("This correction has already been decided.")
    if not can_publish(user, item):
        raise CorrectionError("Only publishers may approve or reject corrections.")
    if proposal.proposed_by_id == user.pk:
        raise CorrectionError("A second person must decide on a correction you proposed: ask another publisher.")
    return item


def decide(user, proposal: Proposal, outcome: Proposal.Outcome, comment: str) -> None:
    proposal.outcome, proposal.decided_by, proposal.decided_at = outcome, user, timezone.now()
    proposal.decision_comment = comment.strip()
    proposal.save(update_fields=["outcome", "decided_by", "decided_at", "decision_comment"])
