"""The editorial workflow of control changes and events: draft -> in review -> published
(-> retracted), with a second person's approval, as newsrooms publish.

Editors draft and submit for review. A publisher, who is not the person who submitted it,
approves (publishes) it or sends it back to draft with a comment; publishers retract what is
published, with a note, which keeps the item and its history instead of deleting it. Only
published items reach public layers, the API, embeds and feeds.

The admin calls `move`; it checks who may do what and raises WorkflowError with the reason.
Groups and their permissions: atlas/migrations/0003_editorial_groups.py.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction

from conflictmap.editorial.history import Recorded, recording
from conflictmap.editorial.locking import Versioned


class Status(models.TextChoices):
    """Publication status shared by control changes and events: only PUBLISHED reaches readers."""

    DRAFT = "draft", "Draft"
    REVIEW = "review", "In review"
    PUBLISHED = "published", "Published"
    RETRACTED = "retracted", "Retracted"


EDITORS, PUBLISHERS = "Editors", "Publishers"  # the groups atlas/migrations/0003_editorial_groups.py makes


class Reviewed(Recorded, Versioned):
    """What the workflow records on a control change or an event (their `status` is their own)."""

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    status_comment = models.TextField(blank=True, editable=False, help_text="Why it was last sent back or retracted.")

    class Meta:
        abstract = True


class WorkflowError(Exception):
    """A move the item's status or the user's role does not allow; the message says why."""


@dataclass(frozen=True)
class Move:
    label: str
    source: Status
    target: Status
    publisher_only: bool
    needs_comment: bool = False


DRAFT, REVIEW, PUBLISHED, RETRACTED = (Status(value) for value in ("draft", "review", "published", "retracted"))
MOVES = {
    "submit": Move("Submit for review", DRAFT, REVIEW, publisher_only=False),
    "approve": Move("Approve and publish", REVIEW, PUBLISHED, publisher_only=True),
    "send_back": Move("Send back to draft", REVIEW, DRAFT, publisher_only=True, needs_comment=True),
    "retract": Move("Retract", PUBLISHED, RETRACTED, publisher_only=True, needs_comment=True),
    "redraft": Move("Reopen as a draft", RETRACTED, DRAFT, publisher_only=False),
}


def can_publish(user, item: models.Model) -> bool:
    meta = item._meta
    return user.has_perm(f"{meta.app_label}.publish_{meta.model_name}")


def available(user, item: models.Model) -> list[str]:
    """The moves `user` may make on `item` now (the admin shows them as buttons)."""
    return [name for name in MOVES if not refusal(user, item, name)]


def refusal(user, item, name: str, comment: str | None = None) -> str:
    """Why `user` may not make move `name` on `item`, or "" if they may (with a comment,
    when one is needed, unless `comment` is None: not asked yet)."""
    move = MOVES.get(name)
    if move is None:
        return f"Unknown action {name!r}."
    if item.status != move.source:
        status = item.get_status_display().lower()
        return f"{move.label}: only for items {move.source.label.lower()}, and this one is {status}."
    if not user.has_perm(f"{item._meta.app_label}.change_{item._meta.model_name}"):
        return "You may not edit these items."
    if move.publisher_only and not can_publish(user, item):
        return f"{move.label}: only publishers may."
    if name == "approve" and item.submitted_by_id == user.pk:
        return "A second person must approve what you submitted: ask another publisher."
    if move.target == PUBLISHED and not item.sources.exists():
        return "Publishing needs at least one source: add one, then approve."
    if move.needs_comment and comment is not None and not comment.strip():
        return f"{move.label}: say why in the comment, for the editor and the record."
    return ""


def move(user, item, name: str, comment: str = "") -> None:
    """Make move `name` on `item` as `user`, in one transaction, or raise WorkflowError."""
    if reason := refusal(user, item, name, comment):
        raise WorkflowError(reason)
    with transaction.atomic(), recording(user, f"{MOVES[name].label}{': ' if comment else ''}{comment.strip()}"):
        item.status = MOVES[name].target
        if name == "submit":
            item.submitted_by = user
        item.status_comment = comment.strip()
        item.save()
