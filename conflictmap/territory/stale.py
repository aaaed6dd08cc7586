"""What makes a theatre's layers stale: the one place that decides it, reached by every write.

A built layer holds, at each date, every controller's area clipped to the theatre, with the
controller's slug, name, short name, colour and kind written into its GeoJSON and pieces. So:

- a control change, published before or after the save, makes its dates stale from its date
  (the earlier one, if it moved) in its old and new areas, when its theatre, date, area,
  controller, confidence or status changed, or it was deleted; a note or a source alone changes no layer;
- a theatre's outline or start date makes all of it stale, from the earlier start;
- a faction's slug, name, short name, colour or kind makes stale every theatre where a
  published change names it, from the first such change.

`stale_layers` decides; `mark_dirty` records it in the theatre's LayerState, in the same
transaction as the edit, and enqueues one rebuild per theatre once that commits.

Every write path reaches them: the receivers below are connected by TerritoryConfig.ready()
(territory/apps.py) to Django's save and delete signals of every model, and pick out these three
by their label, so the admin, imports, scripts, the shell and data migrations (whose historical
models carry the same labels) alike mark the layers stale. Raw saves (`loaddata`) and bulk
QuerySet.update()/delete()/bulk_create() send no such signals: call mark_dirty after those, or
run `manage.py rebuild_layers --full`.
"""

import datetime as dt

from celery import current_app
from django.contrib.gis.db import models
from django.contrib.gis.db.models.functions import Union
from django.db import transaction
from django.db.models import DateField, F, Func, Min, Value
from django.db.models.functions import Coalesce, Least, Now

from conflictmap.atlas.models import Theatre
from conflictmap.editorial.workflow import Status
from conflictmap.territory.models import REBUILD_TASK, ControlChange, LayerState

# The fields of each model that built layers show or are derived from.
LAYER_FIELDS = {
    "territory.controlchange": ("theatre_id", "date", "area", "controller_id", "confidence", "status"),
    "atlas.theatre": ("boundary", "start_date"),
    "atlas.faction": ("slug", "name", "short_name", "color", "kind"),
}

Stale = tuple[int, dt.date, object]  # (theatre id, from this date, in this area: None for all of it)


def stale_layers(label: str, pk: int, before: dict | None, after: dict | None) -> list[Stale]:
    """What a save (`before` -> `after`, their LAYER_FIELDS; `before` None when created) or a
    delete (`after` None) of the item makes stale in the built layers."""
    if before is not None and after is not None and not changed(before, after):
        return []
    if label == "territory.controlchange":
        return [(row["theatre_id"], row["date"], row["area"]) for row in (before, after)
                if row is not None and row["status"] == Status.PUBLISHED]  # fmt: skip
    if before is None and after is not None and label == "atlas.theatre":
        return [(pk, after["start_date"], None)]  # a new theatre's layers (no data at first) build at once
    if before is None or after is None:
        # A new faction is in no layer yet; a deleted theatre takes its layers with
        # it, and a faction named by any change or layer cannot be deleted (PROTECT).
        return []
    if label == "atlas.theatre":
        return [(pk, min(before["start_date"], after["start_date"]), None)]
    named = ControlChange.objects.filter(controller_id=pk, status=Status.PUBLISHED)
    return [(row["theatre_id"], row["first"], None) for row in named.values("theatre_id").annotate(first=Min("date"))]


def changed(before: dict, after: dict) -> bool:
    """Whether any field differs; shapes compare as shapes (a form may send the same area with
    its rings in another order)."""
    for name, old in before.items():
        new = after[name]
        same = old.equals(new) if hasattr(old, "equals") and hasattr(new, "equals") else old == new
        if not same:
            return True
    return False


def mark_dirty(theatre_id: int, date: dt.date, area=None) -> None:
    """Record that published data changed on `date` within `area` (None: anywhere in the
    theatre), and enqueue a rebuild once this commits."""
    day = Value(date, output_field=DateField())
    if area is None:
        area = Theatre.objects.values_list("boundary", flat=True).get(pk=theatre_id)
    region = Value(area, output_field=models.MultiPolygonField(srid=4326))
    bump = {
        "version": F("version") + 1,
        "dirty_since": Least(Coalesce("dirty_since", day), day),
        "dirty_region": as_multipolygon(Union(Coalesce("dirty_region", region), region)),
        "dirty_at": Coalesce("dirty_at", Now()),
    }
    if not LayerState.objects.filter(theatre_id=theatre_id).update(**bump):
        LayerState.objects.get_or_create(theatre_id=theatre_id)
        LayerState.objects.filter(theatre_id=theatre_id).update(**bump)
    pending = transaction.get_connection().run_on_commit
    if not any(getattr(callback, "rebuilds_theatre", None) == theatre_id for _, callback, _ in pending):
        # robust: a broker outage must not turn a committed edit into an error page; the
        # LayerState row keeps the work, and the sweep (territory/sweep.py) enqueues it later.
        transaction.on_commit(RebuildAfterCommit(theatre_id), robust=True)


def as_multipolygon(expression) -> Func:
    """The polygonal part of a PostGIS geometry expression, as a MultiPolygon (ST_Union of two
    areas can return a Polygon or a GeometryCollection)."""
    polygons = Func(expression, Value(3), function="ST_CollectionExtract")
    return Func(polygons, function="ST_Multi", output_field=models.MultiPolygonField(srid=4326))


class RebuildAfterCommit:
    """The on_commit callback of mark_dirty: one per theatre per transaction, however many edits."""

    def __init__(self, theatre_id: int) -> None:
        self.rebuilds_theatre = theatre_id
        # Named as a function would be: Django logs a robust callback's failure by __qualname__.
        self.__qualname__ = f"{type(self).__qualname__}({theatre_id})"

    def __call__(self) -> None:
        current_app.send_task(REBUILD_TASK, args=[self.rebuilds_theatre])


def stored_fields(sender, instance, raw: bool = False, **kwargs) -> None:
    """pre_save and pre_delete: keep the item's layer fields as stored, before the write."""
    fields = LAYER_FIELDS.get(sender._meta.label_lower)
    if fields is None or raw:
        return
    stored = sender._base_manager.filter(pk=instance.pk).values(*fields).first() if instance.pk else None
    instance._layer_fields_stored = stored


def after_save(sender, instance, raw: bool = False, **kwargs) -> None:
    """post_save: mark what the save made stale."""
    label = sender._meta.label_lower
    if label not in LAYER_FIELDS or raw:
        return
    before = instance.__dict__.pop("_layer_fields_stored", None)
    after = {name: getattr(instance, name) for name in LAYER_FIELDS[label]}
    for theatre_id, since, area in stale_layers(label, instance.pk, before, after):
        mark_dirty(theatre_id, since, area)


def after_delete(sender, instance, **kwargs) -> None:
    """post_delete: mark what the delete made stale."""
    label = sender._meta.label_lower
    if label not in LAYER_FIELDS:
        return
    before = instance.__dict__.pop("_layer_fields_stored", None)
    for theatre_id, since, area in stale_layers(label, instance.pk, before, None):
        mark_dirty(theatre_id, since, area)
