"""Derive the partition of a theatre at every date from dated control changes.

A theatre's territory is never drawn per faction by hand. It is a sequence of *control changes*
("from `date` on, `area` is held by `controller`"), applied in order: the area is taken from
every other controller and given to the new one. The first changes (the baseline, on the
theatre's start date) together cover the theatre. Because every step moves area between
holders and never creates or drops any, each interval's pieces tile the theatre: no overlaps,
no gaps. Territory not yet covered by any change belongs to NO_DATA.

Used by conflictmap.territory.build.rebuild, which stores one snapshot per interval.
"""

import datetime as dt
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby

import numpy as np
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

from conflictmap.lib.geometry import (
    GRID,
    clip,
    difference,
    intersection_near,
    polygonal,
    snap,
    split_near,
    union,
)

NO_DATA = None  # the holder of territory that no change has assigned yet
# How every layer, tile, preview and legend names and colours it (one definition, for all of them).
NO_DATA_NAME = "No data"
NO_DATA_COLOR = "#bdbdbd"

Controller = Hashable  # a faction slug or id; NO_DATA for unassigned territory
Territory = dict[Controller, MultiPolygon]  # controller -> its (dissolved) area, never empty


@dataclass(frozen=True)
class Change:
    """From `date` on, `area` is held by `controller`."""

    date: dt.date
    controller: Controller
    area: BaseGeometry


@dataclass
class Interval:
    """The partition over [valid_from, valid_to); valid_to None means "until further notice"."""

    valid_from: dt.date
    valid_to: dt.date | None
    territory: Territory
    # What each controller gained or lost against the previous interval (non-empty only).
    gained: Territory = field(default_factory=dict)
    lost: Territory = field(default_factory=dict)


def initial_territory(boundary: BaseGeometry) -> Territory:
    """The state before any change: the whole theatre, unassigned."""
    return {NO_DATA: snap(boundary)}


def apply_change(territory: Territory, boundary: BaseGeometry, change: Change) -> Territory:
    """Give the change's area (clipped to the theatre) to its controller, taking it from others."""
    return transfer(territory, change.controller, clip(change.area, boundary))


def transfer(territory: Territory, controller: Controller, area: MultiPolygon) -> Territory:
    """Give `area` (already clipped to the theatre) to `controller`, taking it from the others.

    One noding for all the pieces the area touches, not one overlay per holder: the linework of
    those pieces and of the area is noded together on the grid and cut into faces, and each face
    goes to the area's controller or stays with its holder. Neighbours therefore share the very
    same edges. (Separate overlays snapped each holder's cut on its own, and near-collinear edges
    could drift apart into overlaps a few grid cells wide: tests/test_geometry_fuzz.py found them.)
    """
    if area.is_empty:
        return territory
    result: Territory = {}
    near: dict[Controller, tuple[list[Polygon], list[Polygon]]] = {}
    for holder, held in territory.items():
        far, close = split_near(held, area)
        if close:
            near[holder] = (far, close)
        else:
            # Untouched holders keep the very same object: callers (compare, the layer build)
            # rely on identity to skip work for controllers a date did not change.
            result[holder] = held
    near.setdefault(controller, (list(shapely.get_parts(result.pop(controller, MultiPolygon()))), []))
    holders = list(near)
    faces = noded_faces([area, *(MultiPolygon(close) for _, close in near.values() if close)])
    pieces = [MultiPolygon(close) for _, close in near.values()]

    def elsewhere() -> np.ndarray:
        """Every part the noding left out: the touched holders' far parts, and the untouched holders'."""
        far_parts = [part for far, _ in near.values() for part in far]
        return np.asarray([*far_parts, *shapely.get_parts(list(result.values()))], dtype=object)

    owners = owners_of(faces, area, holders.index(controller), pieces, elsewhere)
    for number, (holder, (far, _)) in enumerate(near.items()):
        parts = [*far, *polygonal(shapely.coverage_union_all(faces[owners == number])).geoms]
        if parts:
            result[holder] = MultiPolygon(parts)
    return result


def noded_faces(areas: Sequence[BaseGeometry]) -> np.ndarray:
    """The faces the areas' boundaries cut the plane into, noded once on the grid."""
    linework = shapely.union_all([shapely.boundary(a) for a in areas], grid_size=GRID)
    return shapely.get_parts(shapely.polygonize(shapely.get_parts(linework)))


def owners_of(
    faces: np.ndarray, area: BaseGeometry, taker: int, pieces: Sequence[MultiPolygon], elsewhere
) -> np.ndarray:
    """Which of the `pieces` (by position) holds each face: `taker` inside the area, else the
    piece that holds it. Faces in none (-1) are holes of the pieces, where parts left out of the
    noding lie (`elsewhere()`, asked for only if a face is left); the caller leaves them out."""
    points = shapely.point_on_surface(faces)
    owners = np.where(shapely.contains(area, points), taker, -1)
    for number, piece in enumerate(pieces):
        free = owners == -1
        if not piece.is_empty and free.any():
            owners[free & shapely.contains(piece, points)] = number
    # A face whose inner point fell just outside its holder (the noding moved the holder's edges
    # by a fraction of a grid cell) goes to whoever covers most of it. Holes, which hold a part
    # from elsewhere, are nobody's and are not measured.
    candidates = [(taker, area), *enumerate(pieces)]
    left = np.flatnonzero(owners == -1)
    parts = elsewhere() if left.size else np.empty(0, dtype=object)
    for index in left:
        face = faces[index]
        if parts.size and shapely.contains(parts, points[index]).any():
            continue
        box = shapely.box(*face.bounds)  # each candidate cut to the face's box first: small overlays
        shares = [(shapely.intersection(face, shapely.intersection(shape, box)).area, n) for n, shape in candidates]
        share, number = max(shares)
        if share > face.area / 2:
            owners[index] = number
    return owners


def compare(
    before: Mapping[Controller, BaseGeometry], after: Territory, region: BaseGeometry | None = None
) -> tuple[Territory, Territory]:
    """(gained, lost) per controller between two partitions of the same theatre.

    `region`, when given, must contain every place where the two differ (the day's change
    areas): both sides are clipped to it first, which keeps the overlays small.
    """
    gained: Territory = {}
    lost: Territory = {}
    for controller in set(before) | set(after):
        old = before.get(controller, MultiPolygon())
        new = after.get(controller, MultiPolygon())
        if old is new:
            continue
        if region is not None:
            old, new = intersection_near(old, region), intersection_near(new, region)
        if old.equals(new):
            continue
        if not (gain := difference(new, old)).is_empty:
            gained[controller] = gain
        if not (loss := difference(old, new)).is_empty:
            lost[controller] = loss
    return gained, lost


def iter_intervals(boundary: BaseGeometry, before: Territory, changes: Iterable[Change]) -> Iterator[Interval]:
    """One interval per distinct change date, starting from the partition `before`, yielded as
    soon as its end is known, so a caller can store a long history without holding all of it.

    1. Sort changes by date; changes on the same date keep their given order (the later wins).
    2. Apply each date's changes to the running partition.
    3. Record the partition and its gains and losses against the previous date's partition.
    4. Each interval ends where the next begins; the last one is open-ended.
    """
    boundary = snap(boundary)
    ordered = sorted(changes, key=lambda change: change.date)
    pending: Interval | None = None
    territory = dict(before)
    for date, todays in groupby(ordered, key=lambda change: change.date):
        previous = territory
        region: BaseGeometry = MultiPolygon()
        for change in todays:
            area = clip(change.area, boundary)
            territory = transfer(territory, change.controller, area)
            region = union(region, area)
        gained, lost = compare(previous, territory, region)
        if pending is not None:
            pending.valid_to = date
            yield pending
        pending = Interval(date, None, territory, gained, lost)
    if pending is not None:
        yield pending


def derive_intervals(boundary: BaseGeometry, before: Territory, changes: Iterable[Change]) -> list[Interval]:
    """All of iter_intervals at once (tests, and the short replays of territory.build.head)."""
    return list(iter_intervals(boundary, before, changes))


def partition_errors(boundary: BaseGeometry, territory: Territory) -> tuple[MultiPolygon, MultiPolygon]:
    """(overlaps, gaps): where pieces overlap each other, and where they leave the theatre bare."""
    pieces: Sequence[BaseGeometry] = list(territory.values())
    overlaps = MultiPolygon()
    for i, a in enumerate(pieces):
        for b in pieces[i + 1 :]:
            overlaps = union(overlaps, polygonal(a.intersection(b)))
    covered = MultiPolygon()
    for piece in pieces:
        covered = union(covered, piece)
    return overlaps, polygonal(snap(boundary).symmetric_difference(covered))


def tiles(boundary: BaseGeometry, territory: Territory, tolerance: float = GRID) -> bool:
    """True when the pieces tile the theatre: no overlap or gap is wider than `tolerance` degrees.

    Snapping to the grid can leave slivers narrower than one grid cell (GRID, about 10 cm)
    where a vertex of one piece sits just off its neighbour's edge; anything wider fails.
    """
    overlaps, gaps = partition_errors(boundary, territory)
    return overlaps.buffer(-tolerance).is_empty and gaps.buffer(-tolerance).is_empty
