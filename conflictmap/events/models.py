"""Dated events: what happened, where (if known), who was involved, and who reported it."""

from typing import ClassVar

from django.contrib.gis.db import models
from django.contrib.postgres.indexes import GinIndex, GistIndex
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from conflictmap.atlas.models import Faction, Place, ShownInEventLists, Source, Theatre
from conflictmap.editorial.workflow import Reviewed, Status
from conflictmap.http import response_cache
from conflictmap.lib.markup import clean_source, to_html

# ACLED's site: every event imported from ACLED cites it (imports/acled.py writes the Source).
ACLED_URL = "https://acleddata.com/"
# An event citing any page of ACLED's site (an import's credit, or an editor's own citation) is
# ACLED-derived, which ACLED's terms restrict passing on as rows: downloads leave such events out
# (exports/tables.py). One definition, so the import's credit and the exports cannot drift apart.
CITES_ACLED = Q(sources__url__iregex=r"^https?://([^/?#]+\.)?acleddata\.com([/?#:]|$)")


class Event(Reviewed):
    class Precision(models.TextChoices):
        DAY = "day", "Exact day"
        APPROXIMATE = "approximate", "Approximate (within a few days)"
        MONTH = "month", "Month only"

    class Type(models.TextChoices):
        AIR_STRIKE = "air_strike", _("Air strike")
        SHELLING = "shelling", _("Shelling")
        CLASH = "clash", _("Clash")
        ENCIRCLEMENT = "encirclement", _("Encirclement")
        TROOP_BUILDUP = "troop_buildup", _("Troop build-up")
        DEPLOYMENT = "deployment", _("Deployment")
        WITHDRAWAL = "withdrawal", _("Withdrawal")
        CAPTURE = "capture", _("Capture")
        AGREEMENT = "agreement", _("Agreement")
        STATEMENT = "statement", _("Statement")
        RESIGNATION = "resignation", _("Resignation")
        OTHER = "other", _("Other")

    # Each type's colour on the map, beside the types: a type added without one fails
    # tests/test_api_events.py. Served with the labels by GET /api/v1/event-types/ (events/api.py),
    # which the map reads at start, so the front end keeps no copy. Reds for fighting, oranges for
    # forces massing or deployed, blues for withdrawals, deals and words.
    TYPE_COLORS: ClassVar[dict[str, str]] = {
        "air_strike": "#b2182b",
        "shelling": "#b2182b",
        "clash": "#d6604d",
        "encirclement": "#f4a582",
        "troop_buildup": "#f4a582",
        "deployment": "#f4a582",
        "withdrawal": "#92c5de",
        "capture": "#d6604d",
        "agreement": "#4393c3",
        "statement": "#2166ac",
        "resignation": "#2166ac",
        "other": "#777777",
    }
    # And its marker's shape, so that types read without colour vision too (frontend/js/
    # sprite-canvas.js draws them): falling and rising triangles for strikes and shelling, a
    # diamond for fighting, a cross for ground taken, squares for words and deals, circles for
    # forces on the move.
    TYPE_SHAPES: ClassVar[dict[str, str]] = {
        "air_strike": "triangle-down",
        "shelling": "triangle",
        "clash": "diamond",
        "encirclement": "diamond",
        "troop_buildup": "circle",
        "deployment": "circle",
        "withdrawal": "circle",
        "capture": "cross",
        "agreement": "square",
        "statement": "square",
        "resignation": "square",
        "other": "circle",
    }

    class Confidence(models.TextChoices):
        HIGH = "high", "High: confirmed by several independent sources"
        MEDIUM = "medium", "Medium: credible report, not independently confirmed"
        LOW = "low", "Low: single or partisan claim"

    theatre = models.ForeignKey(Theatre, on_delete=models.PROTECT, related_name="events")
    date = models.DateField(help_text="For month precision, the first day of the month.")
    date_precision = models.CharField(max_length=12, choices=Precision.choices, default=Precision.DAY)
    title = models.CharField(max_length=200)
    title_ar = models.CharField("title (Arabic)", max_length=200, blank=True)
    description = models.TextField(blank=True, help_text="Markdown: **bold**, *italic*, [links](https://…), lists.")
    description_html = models.TextField(blank=True, editable=False)  # rendered and sanitised (lib/markup.py)
    type = models.CharField(max_length=20, choices=Type.choices)
    # Optional: statements in a capital or undated-place events still belong on the timeline.
    location = models.PointField(srid=4326, null=True, blank=True)
    place = models.ForeignKey(Place, on_delete=models.SET_NULL, null=True, blank=True, related_name="events")
    place_name = models.CharField(max_length=200, blank=True, help_text="As reported, if not in the gazetteer.")
    actors = models.ManyToManyField(Faction, blank=True, related_name="events")
    fatalities = models.PositiveIntegerField(null=True, blank=True, help_text="Empty when unknown.")
    confidence = models.CharField(max_length=8, choices=Confidence.choices, default=Confidence.MEDIUM)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    sources = models.ManyToManyField(Source, related_name="events")
    external_id = models.CharField(max_length=100, blank=True, help_text="Stable id from an import.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "id"]
        permissions = [("publish_event", "Can publish, send back and retract events")]
        indexes = [
            models.Index(fields=["theatre", "status", "date"], name="event_theatre_status_date"),
            # The search box's "words in a title" (events/search.py), without reading every title.
            GinIndex(fields=["title"], opclasses=["gin_trgm_ops"], name="event_title_trigram"),
            # A map's question, "this area, these dates", answered inside one index (date via
            # btree_gist): at 500k events the location index alone walks every event ever
            # recorded in the area, and the date index every event of the month, anywhere.
            # Date first: a month in a 1° square then reads 41 index pages, not 155 (location
            # first groups each leaf by place, over all eight years), 20 ms from disk, not 32.
            GistIndex(fields=["date", "location"], name="event_date_location"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_precision="month", date__day=1) | ~Q(date_precision="month"),
                name="event_month_precision_on_first",
            ),
            models.UniqueConstraint(
                fields=["theatre", "external_id"], condition=~Q(external_id=""), name="event_external_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}: {self.title}"

    def save(self, *args, **kwargs):
        self.description = clean_source(self.description)
        self.description_html = to_html(self.description)
        # An event at a gazetteer place is drawn at the place unless an editor gave a point.
        if self.location is None and self.place_id:
            self.location = self.place.point
        super().save(*args, **kwargs)
        # Every theatre's lists: an event moved to another theatre leaves the old one's too.
        response_cache.bump()

    def delete(self, *args, **kwargs):
        theatre_id = self.theatre_id
        result = super().delete(*args, **kwargs)
        response_cache.bump(theatre_id)  # after the DELETE, so no answer cached meanwhile holds it
        return result

    @property
    def shown_place(self) -> str:
        return self.place.name if self.place else self.place_name

    @property
    def shown_place_ar(self) -> str:
        return self.place.name_ar if self.place else ""


class TypeWording(ShownInEventLists):
    """A theatre's own word for an event type, where the default does not fit its war (say,
    "Drone strike" for air strikes): its maps, lists, filters and downloads say it instead."""

    theatre = models.ForeignKey(Theatre, on_delete=models.CASCADE, related_name="type_wordings")
    type = models.CharField(max_length=20, choices=Event.Type.choices)
    label = models.CharField(max_length=60)
    label_ar = models.CharField("label (Arabic)", max_length=60, blank=True)

    class Meta:
        ordering = ["theatre", "type"]
        constraints = [models.UniqueConstraint(fields=["theatre", "type"], name="type_wording_once_per_theatre")]

    def __str__(self) -> str:
        return f"{self.theatre}: {self.get_type_display()} → {self.label}"


def type_labels(theatre_id: int | None) -> dict[str, str]:
    """Each event type's label in this theatre (None: the defaults), in the active language: its
    own wording where it has one (the Arabic one on an Arabic page, if given), else the default."""
    labels = {value: str(label) for value, label in Event.Type.choices}
    arabic = translation.get_language() == "ar"
    own = TypeWording.objects.filter(theatre_id=theatre_id) if theatre_id else TypeWording.objects.none()
    for kind, label, label_ar in own.values_list("type", "label", "label_ar"):
        labels[kind] = label_ar if arabic and label_ar else label
    return labels
