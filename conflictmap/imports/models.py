"""How another dataset's names map to ours, editable in the admin (imports/acled.py uses it)."""

from django.conf import settings
from django.db import models


class NameMapping(models.Model):
    """One of a dataset's values (an ACLED event type, sub-event type or actor) and what it is
    here: an event type value, or a faction slug. Unmapped actors are left out of an event's
    actors (the dry run lists them); unmapped types fall back as acled.py says."""

    class Field(models.TextChoices):
        EVENT_TYPE = "event_type", "Event type"
        SUB_EVENT_TYPE = "sub_event_type", "Sub-event type"
        ACTOR = "actor", "Actor"

    dataset = models.CharField(max_length=20, default="acled")
    field = models.CharField(max_length=20, choices=Field.choices)
    value = models.CharField(max_length=300, help_text="As the dataset writes it, e.g. “Air/drone strike”.")
    maps_to = models.CharField(max_length=100, help_text="An event type (e.g. air_strike) or a faction slug.")

    class Meta:
        ordering = ["dataset", "field", "value"]
        constraints = [models.UniqueConstraint(fields=["dataset", "field", "value"], name="one_mapping_per_value")]

    def __str__(self) -> str:
        return f"{self.dataset} {self.field} “{self.value}” → {self.maps_to}"


class Upload(models.Model):
    """A file uploaded in the admin, checked and then imported by a Celery worker
    (imports/tasks.py) while the admin page shows how far it has read; its data is let go once
    imported or refused, and the row kept as the record of what the import did."""

    class State(models.TextChoices):
        CHECKING = "checking", "Checking"
        CHECKED = "checked", "Checked: waiting for confirmation"
        IMPORTING = "importing", "Importing"
        IMPORTED = "imported", "Imported"
        REFUSED = "refused", "Refused"

    name = models.CharField(max_length=200)
    data = models.BinaryField()
    format = models.CharField(max_length=10)
    theatre = models.ForeignKey("atlas.Theatre", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.CHECKING)
    expected_rows = models.PositiveIntegerField(null=True, blank=True)  # about, for the progress bar
    summary = models.JSONField(default=dict, blank=True)  # the report as the page shows it (imports/tasks.py)

    def __str__(self) -> str:
        return f"{self.name} ({self.created_at:%Y-%m-%d %H:%M})"

    @property
    def busy(self) -> bool:
        return self.state in (self.State.CHECKING, self.State.IMPORTING)
