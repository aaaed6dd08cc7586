"""The revision log, one row per recorded save or delete of an edited item (editorial/history.py),
and proposed corrections to published items, waiting for a second person (editorial/proposals.py).

Moved here from the atlas app (migrations: editorial 0001 takes over the table atlas 0002 made,
0002 renames it), so the editorial room owns its one table and history.py can import it at the
top: when it lived in atlas/models.py, the two modules imported each other.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class Revision(models.Model):
    """One recorded save or delete of an edited item: who, when, all its fields, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    version = models.PositiveIntegerField(default=0, help_text="The item's version after this save.")
    action = models.CharField(max_length=10)  # created, changed or deleted
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    # Public: the corrections log prints it beside an edit to a published item, as its note.
    comment = models.TextField(blank=True)
    # For the newsroom only: shown in the admin's History, never to readers.
    internal_comment = models.TextField(blank=True)
    data = models.JSONField(help_text="All the item's fields; geometry as EWKT, related items as ids.")
    created_at = models.DateTimeField(auto_now_add=True)
    # The revisions of one admin save or one import share it: together they are one revision.
    batch = models.UUIDField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="revision_item")]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id} {self.action} {self.created_at:%Y-%m-%d %H:%M}"


class Proposal(models.Model):
    """An edit of a published item, kept aside until a second person approves it: readers see the
    published version meanwhile. At most one waits per item."""

    class Outcome(models.TextChoices):
        PENDING = "", "Waiting for a publisher"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    base_version = models.PositiveIntegerField(help_text="The item's version the edit was made to.")
    data = models.JSONField(help_text="All the item's fields as proposed, as a revision keeps them.")
    note = models.TextField(blank=True, help_text="The public correction note, printed once approved.")
    internal_comment = models.TextField(blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True, default=Outcome.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_comment = models.TextField(blank=True)

    class Meta:
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], condition=Q(outcome=""), name="one_pending_proposal_per_item"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id}: {self.get_outcome_display()}"
