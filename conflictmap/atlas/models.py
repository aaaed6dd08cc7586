"""Reference data: theatres, factions, gazetteer places and sources.

Geometries are lon/lat (SRID 4326) and the database refuses invalid ones, so every reader of
these tables may rely on valid geometry.
"""

from django.contrib.gis.db import models
from django.core.validators import RegexValidator
from django.db.models import Q

from conflictmap.editorial.history import Recorded
from conflictmap.editorial.locking import Versioned
from conflictmap.http import response_cache
from conflictmap.lib.urls import canonical_url

COLOR = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Use a hex colour such as #d62728.")


class Theatre(models.Model):
    """An area of operations (e.g. Syria): the extent that control partitions at every date."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    name_ar = models.CharField("name (Arabic)", max_length=200, blank=True)
    boundary = models.MultiPolygonField(srid=4326)
    start_date = models.DateField(help_text="Date of the baseline: the first date with a map.")
    description = models.TextField(blank=True)
    description_ar = models.TextField("description (Arabic)", blank=True)
    attribution = models.TextField(blank=True, help_text="Credits shown under maps of this theatre.")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(boundary__isvalid=True), name="theatre_boundary_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class ShownInEventLists(models.Model):
    """Rows that event lists of any theatre show (names, colours, places, citations): saving or
    deleting one retires the cached lists (http/response_cache.py) once the transaction commits.
    Bulk QuerySet.update()/delete() bypass this; the admin deletes one by one."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        response_cache.bump()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        response_cache.bump()  # after the DELETE, so no answer cached meanwhile can hold the row
        return result


class Faction(ShownInEventLists, Recorded, Versioned):
    """Who can hold territory or act in events: a faction, a coalition, or a status (contested)."""

    class Kind(models.TextChoices):
        FACTION = "faction", "Faction"
        COALITION = "coalition", "Coalition"
        STATUS = "status", "Status (e.g. contested)"

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    name_ar = models.CharField("name (Arabic)", max_length=200, blank=True)
    short_name = models.CharField(max_length=40)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.FACTION)
    color = models.CharField(max_length=7, validators=[COLOR], help_text="Hex colour, e.g. #d62728.")
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        help_text="The coalition this faction belongs to, if any.",
    )
    description = models.TextField(blank=True)
    theatres = models.ManyToManyField(
        Theatre,
        related_name="factions",
        help_text="The wars it takes part in: their legends, filters and the admin's choices list it there.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(color__regex=r"^#[0-9a-fA-F]{6}$"), name="faction_color_hex"),
            models.CheckConstraint(condition=~Q(parent=models.F("pk")), name="faction_not_own_parent"),
        ]

    def __str__(self) -> str:
        return self.name


class Place(ShownInEventLists):
    """A gazetteer entry, so events and searches can name places consistently."""

    name = models.CharField(max_length=200)
    name_ar = models.CharField("name (Arabic)", max_length=200, blank=True)
    point = models.PointField(srid=4326)
    governorate = models.CharField(max_length=100, blank=True)
    governorate_ar = models.CharField("governorate (Arabic)", max_length=100, blank=True)
    population = models.PositiveIntegerField(null=True, blank=True)
    geonames_id = models.PositiveIntegerField(null=True, blank=True, unique=True)
    source = models.CharField(max_length=200, blank=True, help_text="Where the coordinates come from.")

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="place_name_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.governorate})" if self.governorate else self.name


class Source(ShownInEventLists, Recorded, Versioned):
    """A citation: a report, statement or dataset that supports a change or an event."""

    url = models.URLField(max_length=500, blank=True, help_text="Only a URL known to be right.")
    title = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-published_on", "title"]

    def save(self, *args, **kwargs):
        self.url = canonical_url(self.url)  # whoever writes it: the admin, an import, the demo
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        when = f", {self.published_on:%d %b %Y}" if self.published_on else ""
        return f"{self.publisher or 'Unknown publisher'}: {self.title}{when}"
