"""A saved map view: what an editor chose to show in an article (theatre, date or "latest", an
optional range for a slider, the map's frame, which factions and event types), with the
words around it (title, caption, credit). /embed/<slug>/ renders it (embeds/views.py)."""

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from conflictmap.atlas.models import Faction, Theatre
from conflictmap.events.models import Event
from conflictmap.territory.models import LayerBuild
from conflictmap.territory.serve.citable import latest_date


class MapView(models.Model):
    class Language(models.TextChoices):
        ENGLISH = "en", "English"
        ARABIC = "ar", "Arabic"

    slug = models.SlugField(unique=True, help_text="The embed's address: /embed/<slug>/.")
    title = models.CharField(max_length=200)
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="E.g. the newsroom's graphics desk.")
    theatre = models.ForeignKey(Theatre, on_delete=models.PROTECT, related_name="views")
    date = models.DateField(null=True, blank=True, help_text="The date shown; empty: always the latest.")
    range_from = models.DateField("slider from", null=True, blank=True)
    range_to = models.DateField("slider to", null=True, blank=True, help_text="With 'slider from', gives a slider.")
    latitude = models.FloatField(null=True, blank=True, validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.FloatField(null=True, blank=True, validators=[MinValueValidator(-180), MaxValueValidator(180)])
    zoom = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(18)], help_text="With the centre; none: the whole theatre."
    )
    factions = models.ManyToManyField(Faction, blank=True, help_text="Shown in colour; none chosen: all of them.")
    event_types = ArrayField(models.CharField(max_length=20, choices=Event.Type.choices), default=list, blank=True,
                             help_text="Event types shown; none chosen: all of them.")  # fmt: skip
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.ENGLISH)
    # As published: the build the view cites (pinned, so kept: territory/serve/citable.py); none:
    # the view follows corrections.
    build = models.ForeignKey(LayerBuild, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name="as published in build")  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = "map view"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("embed", args=[self.slug])

    def clean(self) -> None:
        if (self.range_from is None) != (self.range_to is None):
            raise ValidationError("A slider needs both of its dates, or neither.")
        if self.range_from and self.range_to and self.range_from >= self.range_to:
            raise ValidationError({"range_to": "The slider must end after it starts."})
        if self.date and self.range_from and not self.range_from <= self.date <= self.range_to:  # type: ignore[operator]
            raise ValidationError({"date": "The date shown must lie within the slider's range."})
        frame = (self.latitude, self.longitude, self.zoom)
        if any(value is not None for value in frame) and any(value is None for value in frame):
            raise ValidationError("Give the centre's latitude and longitude and the zoom, or none of them.")
        if self.theatre_id and self.date and self.date < self.theatre.start_date:
            raise ValidationError({"date": f"{self.theatre}'s record starts on {self.theatre.start_date}."})

    def dates_shown(self) -> list:
        """The dates a reader can see in the view (with a slider, each date its layers change)."""
        build = self.build
        if self.range_from and self.range_to and build is not None:
            changes = build.snapshots.filter(valid_from__gt=self.range_from, valid_from__lte=self.range_to)
            return [self.range_from, *changes.order_by("valid_from").values_list("valid_from", flat=True)]
        if self.date:
            return [self.date]
        latest = latest_date(self.theatre_id, build) if build else None
        return [latest] if latest else []

    def state(self) -> dict[str, str]:
        """The view as URL state, in the names and forms of frontend/js/url-state.js, which
        decodes it for the embed as it decodes an ad-hoc embed's or the full map's address."""
        state = {}
        if self.date:
            state["date"] = self.date.isoformat()
        if self.range_from and self.range_to:
            state["from"], state["to"] = self.range_from.isoformat(), self.range_to.isoformat()
        if self.zoom is not None:
            state["view"] = f"{self.zoom}/{self.latitude:.4f}/{self.longitude:.4f}"
        if self.pk and (slugs := sorted(self.factions.values_list("slug", flat=True))):
            state["factions"] = ",".join(slugs)
        if self.event_types:
            state["types"] = ",".join(self.event_types)
        if self.build_id:
            state["build"] = str(self.build.version)
        if self.language != "en":  # the full map opens in it too
            state["lang"] = self.language
        return state
