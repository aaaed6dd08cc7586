"""Control changes (edited by people) and the layers derived from them (written by the build).

ControlChange is the source of truth. LayerBuild, LayerSnapshot, ControlArea and Holding are derived by
conflictmap.territory.build.rebuild and never edited by hand: a build writes a complete new set of
snapshots, then becomes current in one transaction, so readers see either the old layers or
the new ones, never a mix.
"""

import datetime as dt

from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from conflictmap.atlas.models import Faction, Source, Theatre
from conflictmap.editorial.workflow import Reviewed, Status
from conflictmap.lib.partition import NO_DATA_NAME
from conflictmap.territory.areas import clip_to_theatre

# Explicit task names, so territory.stale and the build can enqueue without importing the task
# module (territory/tasks.py), which imports the whole build.
REBUILD_TASK = "territory.rebuild_layers"
CHUNK_TASK = "territory.build_chunk"
SWEEP_TASK = "territory.sweep_layers"  # run by Celery beat (settings.CELERY_BEAT_SCHEDULE)


class Confidence(models.TextChoices):
    """How sure the record is that a change happened as drawn: the map draws every level but the
    first with a pattern over the controller's colour, and the legend explains them."""

    CONFIRMED = "confirmed", _("Confirmed")
    ASSESSED = "assessed", _("Assessed (our analysts' judgement)")
    CLAIMED = "claimed", _("Claimed (by one side, unconfirmed)")
    CONTESTED = "contested", _("Contested (fighting ongoing)")


class ControlChange(Reviewed):
    """From `date` on, `area` (clipped to the theatre) is held by `controller`, as sure as
    `confidence` says."""

    theatre = models.ForeignKey(Theatre, on_delete=models.PROTECT, related_name="changes")
    date = models.DateField(db_index=True)
    area = models.MultiPolygonField(srid=4326, help_text="The area that changed hands.")
    controller = models.ForeignKey(Faction, on_delete=models.PROTECT, related_name="changes")
    confidence = models.CharField(max_length=10, choices=Confidence.choices, default=Confidence.CONFIRMED)
    note = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="changes")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    external_id = models.CharField(max_length=100, blank=True, help_text="Stable id from an import.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # Changes on the same date apply in this order, so the one entered last wins.
        ordering = ["theatre", "date", "id"]
        permissions = [("publish_controlchange", "Can publish, send back and retract control changes")]
        indexes = [models.Index(fields=["theatre", "status", "date"], name="change_theatre_status_date")]
        constraints = [
            models.CheckConstraint(condition=Q(area__isvalid=True), name="change_area_valid"),
            models.UniqueConstraint(
                fields=["theatre", "external_id"], condition=~Q(external_id=""), name="change_external_id_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d}: {self.controller} ({self.theatre})"

    def save(self, *args, **kwargs):
        # Clipped and snapped here, so every writer (admin, import, script) stores what the
        # partition uses. That the layers go stale is territory/stale.py's to decide.
        self.area = clip_to_theatre(self.area, self.theatre.boundary).geometry
        super().save(*args, **kwargs)


class LayerState(models.Model):
    """Per theatre: which published data the layers must catch up with.

    `version` grows with every change to published data; `dirty_since` is the earliest date
    whose layers are out of date and `dirty_region` the union of the areas that may differ
    (both None when the current build is up to date). Written by mark_dirty, in the same
    transactions as the edits (territory/stale.py), and by the build's swap.
    """

    theatre = models.OneToOneField(Theatre, on_delete=models.CASCADE, primary_key=True, related_name="layer_state")
    version = models.BigIntegerField(default=0)
    dirty_since = models.DateField(null=True, blank=True)
    dirty_region = models.MultiPolygonField(srid=4326, null=True, blank=True)
    # The newest version a worker has started building: a second task for the same data
    # stands down instead of building it twice (territory.build.rebuild, claim=True).
    claimed_version = models.BigIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)  # renewed while building; lapses (claims.py)
    built_version = models.BigIntegerField(default=0)
    # When the layers first fell behind the data (None: up to date): the lag /healthz reports.
    dirty_at = models.DateTimeField(null=True, blank=True)
    # Failed attempts to build `failed_version`: the sweep stops retrying at BUILD_MAX_ATTEMPTS,
    # and a new edit (a newer version) starts the count again.
    failed_version = models.BigIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    last_failure = models.TextField(blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.theatre}: v{self.version}, built v{self.built_version}"


class BuildManager(models.Manager):
    """Builds without their payloads (megabytes each at 8 years): most readers want a build's id
    or dates; a payload is read when used (one query), or by values_list."""

    PAYLOADS = ("pieces_geojson", "history_json", "pieces_wkb", "pieces_history")

    def get_queryset(self):
        return super().get_queryset().defer(*self.PAYLOADS)


class LayerBuild(models.Model):
    """One complete set of snapshots of a theatre; at most one per theatre is current."""

    theatre = models.ForeignKey(Theatre, on_delete=models.CASCADE, related_name="builds")
    version = models.BigIntegerField(help_text="The LayerState.version this build reflects.")
    rebuilt_from = models.DateField(help_text="Snapshots before this date were copied from the previous build.")
    is_current = models.BooleanField(default=False)
    # Cited as published (a saved map view pinned to it, territory/serve/citable.py): kept when
    # newer builds replace it, and served by its `version` (the build's number) for good.
    pinned = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    duration_ms = models.PositiveIntegerField(default=0)
    # For scrubbing without a request per date (territory/build/scrubbing.py): the pieces every change
    # area is made of, as GeoJSON, and which controller holds each piece from date to date.
    pieces_geojson = models.BinaryField(default=b"")
    history_json = models.BinaryField(default=b"")
    pieces_wkb = models.BinaryField(default=b"")  # the pieces at full precision (territory/build/chunks.py)
    pieces_history = models.BinaryField(default=b"")  # and their controllers through time (same)
    # Derived dates are built in chunks, possibly by several workers (territory/build/chunks.py):
    # where each chunk starts, and how many have been written. The last one swaps the build in.
    chunk_starts = models.JSONField(default=list)
    chunks_done = models.PositiveIntegerField(default=0)
    # A build after a small edit splices its region into the build it was made from
    # (territory/build/splice.py): that build's id (not a key: a newer build may delete it), and the region.
    spliced_from = models.BigIntegerField(null=True, blank=True)
    splice_region = models.MultiPolygonField(srid=4326, null=True, blank=True)

    objects = BuildManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["theatre"], condition=Q(is_current=True), name="one_current_build"),
        ]

    def __str__(self) -> str:
        return f"{self.theatre} build v{self.version}{' (current)' if self.is_current else ''}"


class LayerHead(models.Model):
    """The latest layer of a theatre, rebuilt first and alone right after an edit.

    A full rebuild takes a while on a long war; readers of "today's map" get the head within
    about a second. The API serves it for dates from `valid_from` on while its version is newer
    than the current build's (territory/serve/layer_cache.py). Gains and losses are not computed for
    it: they appear with the full build.
    """

    theatre = models.OneToOneField(Theatre, on_delete=models.CASCADE, primary_key=True, related_name="layer_head")
    version = models.BigIntegerField()
    valid_from = models.DateField()
    geojson = models.BinaryField()
    etag = models.CharField(max_length=64)
    overview = models.BinaryField(null=True, help_text="The country view (territory/build/overview.py), once made.")

    def __str__(self) -> str:
        return f"{self.theatre} head v{self.version} from {self.valid_from}"


class SnapshotQuerySet(models.QuerySet):
    def covering(self, date: dt.date) -> "SnapshotQuerySet":
        """Snapshots whose half-open [valid_from, valid_to) contains `date`."""
        return self.filter(valid_from__lte=date).filter(Q(valid_to__gt=date) | Q(valid_to__isnull=True))


class LayerSnapshot(models.Model):
    """The partition of a theatre over [valid_from, valid_to), with its ready-to-send GeoJSON."""

    objects = SnapshotQuerySet.as_manager()

    build = models.ForeignKey(LayerBuild, on_delete=models.CASCADE, related_name="snapshots")
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True, help_text="Exclusive; empty means still valid.")
    # Made from the areas the first time the date is asked for (territory/build/storage.py layer_of).
    geojson = models.BinaryField(null=True, help_text="The API's FeatureCollection, as sent, once made.")
    etag = models.CharField(max_length=64, blank=True)
    overview = models.BinaryField(null=True, help_text="The country view (territory/build/overview.py), once made.")

    class Meta:
        ordering = ["build", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["build", "valid_from"], name="snapshot_unique_start"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=F("valid_from")), name="snapshot_interval_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.valid_from}, {self.valid_to or '…'})"


class Holding(models.Model):
    """A controller's whole area as it stands for a run of dates, stored once.

    Most of a long war's dates change one or two controllers, so the snapshots of a build
    share each controller's geometry until it changes (ControlArea.holding), and a rebuild after
    an edit reuses the holdings it does not touch instead of copying them: at 8 years a
    snapshot's holdings are about 1 MB. Written by territory.build.storage; a holding no snapshot
    uses any more is deleted when the build that used it is (territory.build.swap).
    """

    theatre = models.ForeignKey(Theatre, on_delete=models.CASCADE, related_name="+")
    controller = models.ForeignKey(Faction, on_delete=models.PROTECT, null=True, blank=True)
    geom = models.MultiPolygonField(srid=4326)
    area_km2 = models.FloatField()

    # No CHECK (ST_IsValid(geom)): every holding is an output of GEOS's fixed-precision overlay,
    # which is valid by construction, and checking each 85 KB holding took as long as writing it
    # (a tenth of a full rebuild). The tests check every holding a build stores (tests/conftest.py).

    def __str__(self) -> str:
        return f"{self.controller or NO_DATA_NAME}: {self.area_km2:,.0f} km²"


class ControlArea(models.Model):
    """What one controller holds during one snapshot, and what it gained and lost at its start."""

    snapshot = models.ForeignKey(LayerSnapshot, on_delete=models.CASCADE, related_name="areas")
    # NULL: territory no published change covers yet ("no data").
    controller = models.ForeignKey(Faction, on_delete=models.PROTECT, null=True, blank=True)
    # RESTRICT, not PROTECT: deleting a theatre deletes its snapshots and holdings together.
    holding = models.ForeignKey(Holding, on_delete=models.RESTRICT, related_name="+")
    gained = models.MultiPolygonField(srid=4326, null=True, blank=True)
    gained_km2 = models.FloatField(default=0)
    lost = models.MultiPolygonField(srid=4326, null=True, blank=True)
    lost_km2 = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "controller"], name="control_area_one_per_controller"),
        ]

    def __str__(self) -> str:
        return f"{self.controller or NO_DATA_NAME} in {self.snapshot}"


class Front(models.Model):
    """Where two holdings meet along a line: their shared edge, stored once for the pair and
    shared by every snapshot and build holding both (territory.build.fronts). Whether it is a
    front (sides that oppose each other) is decided when served, from the factions as they are
    then (conflictmap.lib.fronts.side_of), so a faction joining a coalition rebuilds nothing."""

    theatre = models.ForeignKey(Theatre, on_delete=models.CASCADE, related_name="+")
    # The lower holding id first; deleted with either holding (territory.build.storage).
    one = models.ForeignKey(Holding, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Holding, on_delete=models.CASCADE, related_name="+")
    # NULL: the two areas do not meet along a line (kept, so the pair is not computed again).
    geom = models.MultiLineStringField(srid=4326, null=True, blank=True)
    km = models.FloatField(default=0, help_text="Geodesic length on the WGS 84 ellipsoid.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["one", "other"], name="front_one_per_pair"),
            models.CheckConstraint(condition=Q(one__lt=F("other")), name="front_pair_ordered"),
        ]

    def __str__(self) -> str:
        return f"holdings {self.one_id} | {self.other_id}: {self.km:,.0f} km"
