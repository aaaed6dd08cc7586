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
    """A file uploaded in the admin, kept between its dry run and the editor's confirmation
    (imports/admin.py); deleted once imported."""

    name = models.CharField(max_length=200)
    data = models.BinaryField()
    format = models.CharField(max_length=10)
    theatre = models.ForeignKey("atlas.Theatre", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.created_at:%Y-%m-%d %H:%M})"
