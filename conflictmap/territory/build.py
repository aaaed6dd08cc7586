"""Rebuild a theatre's layer snapshots from its published control changes.

Called by the Celery task `territory.rebuild_layers` and by `manage.py rebuild_layers`.
Safe to run twice, or in two workers at once: a build is written beside the current one and
swapped in by one conditional transaction, and a build of older data never replaces a newer one.
"""

import datetime as dt
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import chain

from django.db import transaction

from conflictmap.atlas.models import Faction, Status, Theatre
from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.partition import Change, Interval, Territory, initial_territory, iter_intervals
from conflictmap.territory.areas import to_geos, to_shapely
from conflictmap.territory.head import write_head
from conflictmap.territory.models import ControlArea, ControlChange, LayerBuild, LayerHead, LayerSnapshot, LayerState
from conflictmap.territory.payloads import AreaRow, etag_of, geometry_json, snapshot_geojson
from conflictmap.territory.pieces import pieces_payloads

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    """What a rebuild must do: derive from `since` (None: from scratch) up to data `version`;
    `region` (GEOS) holds every place that may differ from the current build."""

    since: dt.date | None
    version: int
    region: object = None


def plan(theatre: Theatre, *, full: bool) -> Plan | None:
    """The rebuild to run now, or None when the current build is already up to date."""
    state, _ = LayerState.objects.get_or_create(theatre=theatre)
    has_current = LayerBuild.objects.filter(theatre=theatre, is_current=True).exists()
    if full or not has_current:
        return Plan(None, state.version)
    if state.dirty_since is None:
        return None
    return Plan(state.dirty_since, state.version, state.dirty_region)


def territory_of(snapshot: LayerSnapshot) -> Territory:
    return {area.controller_id: to_shapely(area.geom) for area in snapshot.areas.all()}


def rebuild(theatre_id: int, *, full: bool = False) -> LayerBuild | None:
    """Bring the theatre's current layers up to date; returns the new build, or None if none was needed.

    1. Plan: from which date the layers are stale, and which data version this build reflects.
       Publish the latest layer alone first (territory.head), so today's map is right at once.
    2. Keep the current build's snapshots that start before that date.
    3. Derive the later intervals from the last kept partition and the published changes.
    4. Write the new build, then swap it in (see swap_in).
    """
    started = time.monotonic()
    theatre = Theatre.objects.get(pk=theatre_id)
    todo = plan(theatre, full=full)
    if todo is None:
        return None
    if todo.since is not None and todo.region is not None:
        write_head(theatre, todo.since, todo.region, todo.version)  # readers of today's map first
    kept: list[LayerSnapshot] = []
    if todo.since is not None:
        kept = list(
            LayerSnapshot.objects.filter(build__theatre=theatre, build__is_current=True, valid_from__lt=todo.since)
            .order_by("valid_from")
            .prefetch_related("areas")
        )
    before = territory_of(kept[-1]) if kept else initial_territory(to_shapely(theatre.boundary))
    changes = ControlChange.objects.filter(theatre=theatre, status=Status.PUBLISHED).order_by("date", "id")
    if kept:
        changes = changes.filter(date__gte=todo.since)
    intervals = iter_intervals(
        to_shapely(theatre.boundary),
        before,
        (Change(change.date, change.controller_id, to_shapely(change.area)) for change in changes.iterator()),
    )
    first = next(intervals, None)
    if first is not None and not kept:
        # The baseline replaces "no data": that is not territory anyone gained or lost.
        first.gained, first.lost = {}, {}
    derived = chain([first], intervals) if first is not None else iter(())
    build = write_build(theatre, todo, kept, derived, first.valid_from if first else None, started)
    if swap_in(build):
        log.info("Built %s v%s: %d snapshots", theatre.slug, build.version, build.snapshots.count())
        return build
    return None


class GeometryMemo:
    """Work done once per geometry object during a build (area, GEOS copy, GeoJSON text).

    A controller that a date does not touch keeps the very same shapely object in the next
    interval (lib.partition.apply_change), so its area and encodings are reused, not recomputed.
    """

    def __init__(self) -> None:
        self._done: dict[tuple[int, str], tuple[object, object]] = {}

    def get(self, geometry, what: str, compute):
        key = (id(geometry), what)
        entry = self._done.get(key)
        if entry is None or entry[0] is not geometry:  # ids are reused once an object dies
            entry = (geometry, compute(geometry))
            self._done[key] = entry
        return entry[1]

    def retain(self, geometries) -> None:
        """Forget the work on every geometry but these (what the next interval can reuse)."""
        keep = {id(geometry) for geometry in geometries}
        self._done = {key: entry for key, entry in self._done.items() if key[0] in keep}

    def area_km2(self, geometry) -> float:
        return 0.0 if geometry is None else self.get(geometry, "area", area_km2)

    def geos(self, geometry):
        return None if geometry is None else self.get(geometry, "geos", to_geos)

    def geojson(self, geometry) -> str:
        return self.get(geometry, "json", geometry_json)


def write_build(
    theatre: Theatre,
    todo: Plan,
    kept: list[LayerSnapshot],
    intervals: Iterable[Interval],
    next_start: dt.date | None,
    started: float,
) -> LayerBuild:
    """Write the build: kept snapshots (the last one ends at `next_start`), then each derived
    interval as it comes, so memory holds one interval's geometry, not the whole history."""
    factions = {faction.pk: faction for faction in Faction.objects.all()}
    memo = GeometryMemo()
    with transaction.atomic():
        build = LayerBuild.objects.create(
            theatre=theatre, version=todo.version, rebuilt_from=todo.since or theatre.start_date
        )
        for index, snapshot in enumerate(kept):
            valid_to = next_start if index == len(kept) - 1 else snapshot.valid_to
            areas = list(snapshot.areas.all())
            for area in areas:
                area.pk, area.snapshot_id = None, None  # saved again as copies below
            shapes = [to_shapely(area.geom) for area in areas]
            store_snapshot(build, theatre, snapshot.valid_from, valid_to, areas, shapes, factions, memo)
        build.pieces_geojson, build.history_json = pieces_payloads(theatre, factions)
        for interval in intervals:
            areas = [
                ControlArea(
                    controller_id=controller,
                    geom=memo.geos(geometry),
                    area_km2=memo.area_km2(geometry),
                    gained=memo.geos(interval.gained.get(controller)),
                    gained_km2=memo.area_km2(interval.gained.get(controller)),
                    lost=memo.geos(interval.lost.get(controller)),
                    lost_km2=memo.area_km2(interval.lost.get(controller)),
                )
                for controller, geometry in interval.territory.items()
            ]
            shapes = list(interval.territory.values())
            store_snapshot(build, theatre, interval.valid_from, interval.valid_to, areas, shapes, factions, memo)
            memo.retain(shapes)  # the next interval shares the untouched controllers' objects
        build.duration_ms = int((time.monotonic() - started) * 1000)
        build.save(update_fields=["duration_ms", "pieces_geojson", "history_json"])
    return build


def store_snapshot(
    build: LayerBuild,
    theatre: Theatre,
    valid_from: dt.date,
    valid_to: dt.date | None,
    areas: list[ControlArea],
    shapes: list,
    factions: dict[int, Faction],
    memo: GeometryMemo,
) -> None:
    """Save one snapshot: its GeoJSON payload, then its (unsaved) ControlArea rows.

    `shapes` are the areas' geometries as shapely objects, in the same order.
    """
    rows = [
        AreaRow(factions.get(area.controller_id), memo.geojson(shape), area.area_km2, area.gained_km2, area.lost_km2)
        for area, shape in zip(areas, shapes, strict=True)
    ]
    payload = snapshot_geojson(theatre.slug, valid_from, valid_to, rows)
    snapshot = LayerSnapshot.objects.create(
        build=build, valid_from=valid_from, valid_to=valid_to, geojson=payload, etag=etag_of(payload)
    )
    for area in areas:
        area.snapshot = snapshot
    ControlArea.objects.bulk_create(areas)


def swap_in(build: LayerBuild) -> bool:
    """Make `build` current unless a build of newer data already is; True if it became current.

    One transaction with the theatre's LayerState row locked, so two workers finishing at once
    are serialised. Builds of data no newer than this one are deleted with their snapshots.
    """
    with transaction.atomic():
        state = LayerState.objects.select_for_update().get(theatre_id=build.theatre_id)
        if state.built_version > build.version:
            build.delete()
            return False
        # Builds are only deleted here, under the same lock, so this check cannot go stale.
        if not LayerBuild.objects.filter(pk=build.pk).exists():
            return False  # deleted by a build of the same data that finished first
        LayerBuild.objects.filter(theatre_id=build.theatre_id, is_current=True).update(is_current=False)
        LayerBuild.objects.filter(pk=build.pk).update(is_current=True)
        build.is_current = True
        state.built_version = build.version
        if state.version == build.version:
            state.dirty_since = state.dirty_region = None
        state.save(update_fields=["built_version", "dirty_since", "dirty_region"])
        LayerHead.objects.filter(theatre_id=build.theatre_id, version__lte=build.version).delete()
        LayerBuild.objects.filter(theatre_id=build.theatre_id, is_current=False, version__lte=build.version).exclude(
            pk=build.pk
        ).delete()
    return True
