"""Split a theatre into the smallest pieces that every change area is made of.

With the pieces fixed, the partition at any date is just a controller per piece, and a day's
change is a short list of (piece, new controller). That is what lets a reader scrub through
years of dates without a request per step: the pieces' geometry is sent once, then only ints.

Used by conflictmap.territory.build.scrubbing (stored with each build) and the pieces/history API.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby

import shapely
from shapely.geometry import Polygon
from shapely.geometry.base import BaseGeometry

from conflictmap.lib.geometry import clip, difference, intersection, snap

CELL = 0.25  # degrees: the grid that finds which pieces an area may touch


@dataclass(frozen=True)
class Arrangement:
    pieces: list[Polygon]  # disjoint; together they cover the theatre
    covers: list[list[int]]  # for each area, in input order: the pieces it is made of


def _cells(bounds: tuple[float, float, float, float]) -> Iterator[tuple[int, int]]:
    west, south, east, north = bounds
    for x in range(int(west // CELL), int(east // CELL) + 1):
        for y in range(int(south // CELL), int(north // CELL) + 1):
            yield x, y


def arrange(boundary: BaseGeometry, areas: Sequence[BaseGeometry]) -> Arrangement:
    """The pieces of `boundary` cut by every area (each clipped to it), and which make up each area.

    1. Start from the theatre's polygons; index pieces on a coarse grid by bounding box.
    2. For each area: every piece it overlaps is either inside it or split in two (inside and
       outside); the inside parts are the area's pieces. A split piece remembers its children.
    3. Finally, every area's pieces are expanded to the leaves, and leaves are numbered.
    """
    boundary = snap(boundary)
    pieces: dict[int, Polygon] = {}
    children: dict[int, list[int]] = {}
    grid: dict[tuple[int, int], set[int]] = defaultdict(set)

    def add(polygon: Polygon) -> int:
        key = len(pieces) + len(children)
        pieces[key] = polygon
        for cell in _cells(polygon.bounds):
            grid[cell].add(key)
        return key

    def retire(key: int, parts: list[int]) -> None:
        polygon = pieces.pop(key)
        for cell in _cells(polygon.bounds):
            grid[cell].discard(key)
        children[key] = parts

    for part in boundary.geoms:
        add(part)
    covers: list[list[int]] = []
    for raw in areas:
        area = clip(raw, boundary)
        shapely.prepare(area)
        candidates: set[int] = set()
        for cell in _cells(area.bounds) if not area.is_empty else ():
            candidates |= grid.get(cell, set())
        inside_keys: list[int] = []
        for key in sorted(candidates):
            piece = pieces[key]
            if not area.intersects(piece):
                continue
            if area.contains(piece):
                inside_keys.append(key)
                continue
            inner, outer = intersection(piece, area), difference(piece, area)
            if outer.is_empty:
                inside_keys.append(key)
                continue
            if inner.is_empty:
                continue
            inner_keys = [add(p) for p in inner.geoms]
            retire(key, inner_keys + [add(p) for p in outer.geoms])
            inside_keys.extend(inner_keys)
        covers.append(inside_keys)

    def leaves(key: int) -> Iterator[int]:
        if key in children:
            for child in children[key]:
                yield from leaves(child)
        else:
            yield key

    number = {key: index for index, key in enumerate(sorted(pieces))}
    return Arrangement(
        pieces=[pieces[key] for key in sorted(pieces)],
        covers=[sorted({number[leaf] for key in keys for leaf in leaves(key)}) for keys in covers],
    )


@dataclass(frozen=True)
class Step:
    """On `date`, these pieces changed hands: (piece, new controller), net of the day's changes."""

    date: dt.date
    moves: list[tuple[int, Hashable]]


def history(
    arrangement: Arrangement, changes: Sequence[tuple[dt.date, Hashable]], initial: Hashable = None
) -> tuple[list[Hashable], list[Step]]:
    """The controller of every piece before any change (`initial`), and the steps after.

    `changes` are (date, controller) in the order of the areas given to `arrange`, sorted by
    date (the later of a day wins, as in lib.partition).
    """
    state: list[Hashable] = [initial] * len(arrangement.pieces)
    steps: list[Step] = []
    indexed = list(zip(changes, arrangement.covers, strict=True))
    for date, group in groupby(indexed, key=lambda item: item[0][0]):
        before: dict[int, Hashable] = {}
        for (_, controller), covered in group:
            for piece in covered:
                before.setdefault(piece, state[piece])
                state[piece] = controller
        moves = [(piece, state[piece]) for piece, old in sorted(before.items()) if state[piece] != old]
        steps.append(Step(date, moves))
    return [initial] * len(arrangement.pieces), steps
