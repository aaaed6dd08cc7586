"""Rebuilding after an edit by splicing the stale region into the current build.

Only the stale region (LayerState.dirty_region: the old and new areas of every edited change)
can differ between the current build and the right one, at any date. So the partition on a
date is the current build's partition on that date outside the region, plus, inside it, the
region's own history, replayed from the published changes that touch it (a few, however long
the war). territory.build.head does this for the latest date alone, first; splice_dates for every
date from the stale one on.

In splice_dates, a controller whose holding does not meet the region keeps that very Holding
row (nothing is copied or re-encoded); the others get a new holding, made once for each pair
of (old holding, replayed state). So the work grows with the region and with how often its
holders changed, not with the length of the war: at 8 years, re-deriving every date after an
edit in the middle took minutes; splicing them takes seconds (README, Benchmarks).
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

import shapely
from django.conf import settings
from django.db import connection
from django.db.models import Q
from shapely.geometry import MultiPolygon

from conflictmap.atlas.models import Theatre
from conflictmap.editorial.workflow import Status
from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.geometry import clip, difference, difference_near, intersection_near, union, union_near
from conflictmap.lib.partition import NO_DATA, Change, Controller, Interval, Territory, derive_intervals
from conflictmap.territory.areas import to_geos, to_shapely
from conflictmap.territory.build.storage import AREAS, HOLDINGS, copy_snapshots, insert_holdings, territory_of
from conflictmap.territory.models import ControlArea, ControlChange, LayerBuild, LayerSnapshot


def spliceable(theatre: Theatre, region_geos) -> bool:
    """Splicing pays while the region is a small part of the theatre (BUILD_SPLICE_MAX_SHARE);
    an edit of the theatre's outline or of a faction marks all of it stale, re-derived in chunks."""
    return region_geos is not None and region_geos.area <= settings.BUILD_SPLICE_MAX_SHARE * theatre.boundary.area


@dataclass(frozen=True)
class Replay:
    """The stale region's own partition: `before` the stale date, then one interval per date
    from it on on which a published change touches the region."""

    region: MultiPolygon
    before: Territory
    intervals: list[Interval]

    def latest(self) -> Territory:
        return self.intervals[-1].territory if self.intervals else self.before


def replay(
    theatre: Theatre,
    build: LayerBuild,
    since: dt.date,
    region_geos,
    statuses=(Status.PUBLISHED,),
    until=None,
    without: int | None = None,
) -> Replay:
    """The region's partition the day before `since` (from `build`), and its history after (up
    to `until`, if given), from the changes of these `statuses` (drafts too, territory.serve.drafts)
    but the change `without` (the map as it would be without it: the admin's preview of an edit)."""
    region = clip(to_shapely(region_geos), to_shapely(theatre.boundary))
    day_before = LayerSnapshot.objects.filter(build=build).covering(since - dt.timedelta(days=1))
    snapshot = day_before.values_list("pk", flat=True).first()
    inside: Territory = {NO_DATA: region} if snapshot is None else {}
    for controller, held in territory_of(snapshot).items() if snapshot else ():
        if not (piece := intersection_near(held, region)).is_empty:
            inside[controller] = piece
    changes = ControlChange.objects.filter(
        theatre=theatre, status__in=statuses, date__gte=since, area__intersects=region_geos
    ).order_by("date", "id")
    if until is not None:
        changes = changes.filter(date__lte=until)
    if without is not None:
        changes = changes.exclude(pk=without)
    changed = [Change(c.date, c.controller_id, to_shapely(c.area)) for c in changes]
    return Replay(region, inside, derive_intervals(region, inside, changed))


def splice(held: MultiPolygon | None, region: MultiPolygon, inside: MultiPolygon | None, *, meets: bool):
    """A controller's area with the region replaced: what it `held` outside the region (`meets`:
    whether that met the region at all), plus its replayed piece `inside`; None if nothing."""
    outside = held if held is None or not meets else difference_near(held, region)
    if inside is None:
        return outside if outside is not None and not outside.is_empty else None
    return inside if outside is None or outside.is_empty else union_near(outside, inside)


def splice_territory(old: Territory, region: MultiPolygon, inside: Territory) -> Territory:
    """A whole partition with the region replaced by `inside` (the head, territory.build.head)."""
    spliced = {
        controller: splice(old.get(controller), region, inside.get(controller), meets=True)
        for controller in set(old) | set(inside)
    }
    return {controller: geometry for controller, geometry in spliced.items() if geometry is not None}


OLD_AREAS_SQL = f"""
SELECT area.snapshot_id, area.controller_id, area.holding_id, holding.area_km2, ST_AsBinary(area.gained),
       area.gained_km2, ST_AsBinary(area.lost), area.lost_km2
FROM {AREAS} area JOIN {HOLDINGS} holding ON holding.id = area.holding_id WHERE area.snapshot_id = ANY(%s)
"""
HOLDING_SQL = f"SELECT ST_AsBinary(geom) FROM {HOLDINGS} WHERE id = %s"


@dataclass
class OldArea:
    holding: int
    holding_km2: float
    gained: bytes | None
    gained_km2: float
    lost: bytes | None
    lost_km2: float


def splice_dates(
    build: LayerBuild, source: LayerBuild, since: dt.date, region_geos, days: list[dt.date], end: dt.date | None
) -> None:
    """Store `build`'s snapshots for the change `days` (all on or after `since`; the last
    snapshot ends at `end`), spliced from the `source` build's snapshots in the stale region.
    Any run of days can be spliced on its own: territory.build.chunks shares them among workers.

    1. Replay the region from `since` (see replay).
    2. For each date, take the source's snapshot covering it. A controller keeps its holding
       where its part of the region is what the replay gives; the others are spliced (once per
       distinct pair, see splice). The date's gains and losses are the source's outside the
       region plus the replay's inside it.
    3. A date whose snapshot comes out the same as the source's is copied with its payloads.
    """
    if not days:
        return
    todo = replay(build.theatre, source, since, region_geos)
    overlapping = source.snapshots.filter(Q(valid_to__gt=days[0]) | Q(valid_to__isnull=True))
    if end is not None:
        overlapping = overlapping.filter(valid_from__lt=end)
    olds = list(overlapping.order_by("valid_from").values_list("pk", "valid_from", "valid_to"))
    areas: dict[int, dict[Controller, OldArea]] = {pk: {} for pk, _, _ in olds}
    with connection.cursor() as cursor:
        cursor.execute(OLD_AREAS_SQL, [[pk for pk, _, _ in olds]])
        for snapshot, controller, holding, holding_km2, gained, gained_km2, lost, lost_km2 in cursor.fetchall():
            areas[snapshot][controller] = OldArea(holding, holding_km2, gained and bytes(gained), gained_km2,
                                                  lost and bytes(lost), lost_km2)  # fmt: skip
    writer = SplicedWriter(build, todo.region)
    unchanged: list[int] = []
    followed = 0
    for index, (day, until), (inside, started) in zip(
        covering(olds, days), with_ends(days, end), replayed(todo, days), strict=True
    ):
        for pk, _, _ in olds[followed : index + 1]:  # every old date, also those no new date starts on
            writer.follow(areas[pk])
        followed = index + 1
        old, old_from, old_to = olds[index]
        rows = [
            writer.area(controller, areas[old].get(controller), inside.get(controller), started, old_from == day)
            for controller in set(areas[old]) | set(inside)
        ]
        rows = [row for row in rows if row is not None]
        same = (old_from, old_to) == (day, until) and all(getattr(row, "kept", False) for row in rows)
        if same and len(rows) == len(areas[old]):
            unchanged.append(old)
        else:
            writer.snapshot(day, until, rows)
    writer.flush()
    copy_snapshots(build, unchanged)


def covering(olds: list[tuple], days: list[dt.date]) -> Iterator[int]:
    """For each day, in order, the index of the old snapshot (pk, valid_from, valid_to) covering it."""
    index = 0
    for day in days:
        while olds[index][2] is not None and olds[index][2] <= day:
            index += 1
        yield index


def with_ends(days: list[dt.date], end: dt.date | None) -> Iterator[tuple[dt.date, dt.date | None]]:
    yield from zip(days, [*days[1:], end], strict=True)


def replayed(todo: Replay, days: list[dt.date]) -> Iterator[tuple[Territory, Interval | None]]:
    """For each day, in order: the region's partition then, and the replay's interval starting that day."""
    index, current = -1, todo.before
    for day in days:
        while index + 1 < len(todo.intervals) and todo.intervals[index + 1].valid_from <= day:
            index += 1
            current = todo.intervals[index].territory
        started = todo.intervals[index] if index >= 0 and todo.intervals[index].valid_from == day else None
        yield current, started


@dataclass(eq=False)
class NewHolding:
    """A spliced holding, stored (and given its `pk`) with the next batch of rows."""

    controller: Controller
    geometry: MultiPolygon
    km2: float
    pk: int | None = None


class SplicedWriter:
    """Makes each spliced date's ControlArea rows and writes them in batches.

    It follows each controller's part of the region in the source build (`was`): a holding
    changes from one date to the next only by what it gained and lost that day, so that part
    is recomputed only on the rare dates when those met the region. Where it equals the
    replay's piece, the holding stands as it is, without even being read.
    """

    BATCH = 200  # snapshots per write
    NOTHING = MultiPolygon()

    def __init__(self, build: LayerBuild, region: MultiPolygon) -> None:
        self.build, self.region = build, region
        # controller -> (holding, its part of the region)
        self.was: dict[Controller, tuple[int | None, MultiPolygon]] = {}
        self.seen: list[MultiPolygon] = []  # every `was` and inside piece compared: their ids stay unique
        self.equal: dict[tuple[int, int], bool] = {}
        self.made: dict[tuple, NewHolding | int | None] = {}  # (controller, old holding, id(inside piece)) -> holding
        self.measured: dict[int, tuple[MultiPolygon, float]] = {}
        self.pending: list[tuple[dt.date, dt.date | None, list[ControlArea]]] = []
        self.unsaved: list[tuple[ControlArea, NewHolding]] = []  # pending rows whose holding is new

    def follow(self, olds: dict[Controller, OldArea]) -> None:
        """Bring each controller's part of the region up to the source snapshot `olds`, which
        must be followed one by one, in date order."""
        for controller in set(self.was) - set(olds):
            self.was[controller] = (None, self.NOTHING)  # it holds nothing here
        for controller, old in olds.items():
            known = self.was.get(controller)
            if known is not None and known[0] == old.holding:
                continue
            if known is not None and not any(wkb and shapely.from_wkb(wkb).intersects(self.region)
                                             for wkb in (old.gained, old.lost)):  # fmt: skip
                self.was[controller] = (old.holding, known[1])  # it changed outside the region only
                continue
            part = intersection_near(self.geometry(old.holding), self.region)
            self.seen.append(part)
            self.was[controller] = (old.holding, part)

    def area(self, controller, old: OldArea | None, inside, started: Interval | None, same_start: bool):
        """The controller's unsaved ControlArea row on a spliced date, or None if it holds nothing
        there; `kept` is set on a row identical to the old one."""
        holding = self.holding(controller, old, inside)
        if holding is None:
            return None
        gained, gained_km2, gains_kept = self.change(old, "gained", same_start, started, controller)
        lost, lost_km2, losses_kept = self.change(old, "lost", same_start, started, controller)
        row = ControlArea(controller_id=controller, gained=gained, gained_km2=gained_km2, lost=lost, lost_km2=lost_km2)
        if isinstance(holding, NewHolding):
            self.unsaved.append((row, holding))  # its holding is stored first, in flush
        else:
            row.holding_id = holding
        row.kept = old is not None and holding == old.holding and gains_kept and losses_kept  # type: ignore[attr-defined]
        return row

    def holding(self, controller, old: OldArea | None, inside) -> NewHolding | int | None:
        """The controller's holding on the date: the old one where the replay agrees with it in
        the region; otherwise the spliced one, made once per pair."""
        if old is not None:
            was = self.was[controller][1]
            if was.is_empty if inside is None else self.same(was, inside):
                return old.holding
        key = (controller, old and old.holding, id(inside))
        if key not in self.made:
            held = self.geometry(old.holding) if old is not None else None
            was = self.was[controller][1] if old is not None else self.NOTHING
            spliced = splice(held, self.region, inside, meets=not was.is_empty)
            # Its area by difference: measuring a whole holding took a third of the splice.
            km2 = (old.holding_km2 - self.km2(was) if old is not None else 0.0) + self.km2(inside)
            self.made[key] = None if spliced is None else NewHolding(controller, spliced, km2)
        return self.made[key]

    def km2(self, geometry: MultiPolygon | None) -> float:
        if geometry is None:
            return 0.0
        if (known := self.measured.get(id(geometry))) is None or known[0] is not geometry:
            known = self.measured[id(geometry)] = (geometry, area_km2(geometry))  # the object kept: ids stay unique
        return known[1]

    def same(self, was: MultiPolygon, inside: MultiPolygon) -> bool:
        key = (id(was), id(inside))
        if key not in self.equal:
            self.seen.append(inside)
            self.equal[key] = was.equals(inside)
        return self.equal[key]

    def geometry(self, holding: int) -> MultiPolygon:
        with connection.cursor() as cursor:
            cursor.execute(HOLDING_SQL, [holding])
            return shapely.from_wkb(bytes(cursor.fetchone()[0]))

    def change(self, old: OldArea | None, kind: str, same_start: bool, started: Interval | None, controller):
        """(geometry, km², unchanged) of what the controller `kind` (gained or lost) on the date:
        the old build's outside the region (if the old snapshot began that day too), plus the
        replay's inside it."""
        wkb = getattr(old, kind) if old is not None and same_start else None
        inside = getattr(started, kind).get(controller) if started is not None else None
        outside = shapely.from_wkb(wkb) if wkb is not None else None
        if outside is not None and not outside.intersects(self.region):
            if inside is None:
                return to_geos(outside), getattr(old, f"{kind}_km2"), True
        elif outside is not None:
            outside = difference(outside, self.region)
        parts = [part for part in (outside, inside) if part is not None and not part.is_empty]
        if not parts:
            return None, 0.0, old is None or getattr(old, kind) is None
        combined = parts[0] if len(parts) == 1 else union(parts[0], parts[1])
        return to_geos(combined), area_km2(combined), False

    def snapshot(self, day: dt.date, end: dt.date | None, rows: list[ControlArea]) -> None:
        self.pending.append((day, end, rows))
        if len(self.pending) >= self.BATCH:
            self.flush()

    def flush(self) -> None:
        """Write the pending snapshots: new holdings first, then snapshots, then their areas."""
        new = list({id(made): made for _, made in self.unsaved if made.pk is None}.values())
        ids = insert_holdings(self.build.theatre_id, [(made.controller, made.geometry, made.km2) for made in new])
        for made, pk in zip(new, ids, strict=True):
            made.pk = pk
        for row, made in self.unsaved:
            row.holding_id = made.pk
        self.unsaved = []
        for key, value in self.made.items():
            if isinstance(value, NewHolding):
                self.made[key] = value.pk  # stored: later rows point at it by id
        snapshots = LayerSnapshot.objects.bulk_create(
            LayerSnapshot(build=self.build, valid_from=day, valid_to=end) for day, end, _ in self.pending
        )
        for snapshot, (_, _, rows) in zip(snapshots, self.pending, strict=True):
            for row in rows:
                row.snapshot = snapshot
        ControlArea.objects.bulk_create(row for _, _, rows in self.pending for row in rows)
        self.pending = []
