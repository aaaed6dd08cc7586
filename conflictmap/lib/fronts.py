"""Front lines: where the areas of opposing sides meet, taken from the partition's own edges.

A front is not drawn: it is the shared boundary of two controllers' areas on a date, so it
follows the areas exactly. Only sides that oppose each other have one (see `side_of`): not two
members of one coalition, not a faction and "no data", not the theatre's border (no area lies
beyond it), and not a status such as "contested", which marks disputed land rather than a
party to the fighting (its edges are no front between two sides; the map shows the land itself).

Neighbours in the partition share the very same edges on the grid (lib.partition.transfer), so
two areas' common vertices find their shared boundary cheaply (`Outline`): only the segments
touching a vertex of the other area are overlaid, which keeps a pair of 8-year holdings (tens
of thousands of vertices each) to a millisecond or two. The build stores each pair's edge once
and every snapshot holding that pair of areas shares it (territory.build.fronts).
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import MultiLineString
from shapely.geometry.base import BaseGeometry

from conflictmap.lib.geometry import GRID
from conflictmap.lib.partition import NO_DATA, Controller, Territory

Side = Hashable  # a faction's top coalition, or the faction itself
NOTHING = MultiLineString()


@dataclass(frozen=True)
class Outline:
    """An area's boundary as segments, each vertex one integer on the grid: `keys` (sorted,
    unique), and each segment's `hashes` (of its two vertices, either way round) and their
    `order` (sorted), so that two outlines' common segments are one sorted search."""

    bounds: tuple[float, float, float, float]
    segments: np.ndarray  # (n, 2, 2) coordinates
    ends: np.ndarray  # (n, 2) vertex keys
    hashes: np.ndarray  # (n,) uint64
    order: np.ndarray  # hashes[order] is sorted
    keys: np.ndarray


def outline(area: BaseGeometry) -> Outline:
    rings = shapely.get_rings(shapely.get_parts(area))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same_ring = ring[:-1] == ring[1:]
    keys = vertex_keys(coords)
    segments = np.stack([coords[:-1], coords[1:]], axis=1)[same_ring]
    ends = np.stack([keys[:-1], keys[1:]], axis=1)[same_ring]
    low, high = np.minimum(ends[:, 0], ends[:, 1]), np.maximum(ends[:, 0], ends[:, 1])
    hashes = low.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15) ^ high.astype(np.uint64)  # wraps: a hash
    return Outline(tuple(shapely.bounds(area).tolist()), segments, ends, hashes, np.argsort(hashes), np.unique(keys))


def vertex_keys(coords: np.ndarray) -> np.ndarray:
    """One int64 per lon/lat vertex on the grid (29 bits of longitude, 28 of latitude)."""
    x = np.round((coords[:, 0] + 180) / GRID).astype(np.int64)
    y = np.round((coords[:, 1] + 90) / GRID).astype(np.int64)
    return (x << 29) | y


def found_in(values: np.ndarray, sorted_values: np.ndarray) -> np.ndarray:
    """Which of `values` are in `sorted_values`."""
    if not len(sorted_values):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_values, values), len(sorted_values) - 1)
    return sorted_values[at] == values


def shared_edge(a: Outline, b: Outline) -> MultiLineString:
    """The lines along which two areas of one partition meet, merged; empty where they only
    touch at points or not at all.

    On a shared edge the two areas have the same vertices (lib.partition nodes them together),
    so most of it is the segments both outlines hold. One may hold a few more vertices, where
    the grid snapped a third area's vertex onto the edge: such segments still end at a vertex
    of the other outline, and only those few are overlaid, exactly, on the grid.
    """
    if not overlaps(a.bounds, b.bounds):
        return NOTHING
    same = found_in(a.hashes, b.hashes[b.order])
    parts = [shapely.linestrings(a.segments[same])] if same.any() else []
    near = [
        outline.segments[~found_in(outline.hashes, other.hashes[other.order])
                         & found_in(outline.ends, other.keys).any(axis=1)]
        for outline, other in ((a, b), (b, a))
    ]  # fmt: skip
    if all(len(segments) for segments in near):
        rest = shapely.intersection(*(shapely.multilinestrings(shapely.linestrings(s)) for s in near), grid_size=GRID)
        parts.append(shapely.get_parts(rest))
    if not parts:
        return NOTHING
    lines = np.concatenate(parts)
    lines = lines[shapely.get_type_id(lines) == 1]  # LineStrings, not the points where outlines cross
    return linear(shapely.line_merge(shapely.multilinestrings(lines))) if len(lines) else NOTHING


def overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def linear(geometry: BaseGeometry) -> MultiLineString:
    """Only the line parts (an intersection of outlines also has the points where they cross)."""
    parts = shapely.get_parts(geometry)
    parts = parts[(shapely.get_type_id(parts) == 1) & ~shapely.is_empty(parts)]
    return shapely.multilinestrings(parts) if len(parts) else NOTHING


def side_of(controller: Controller, parents: Mapping[Controller, Controller | None], statuses: set) -> Side | None:
    """The side a controller fights on: its top coalition (following `parents`), else itself;
    None for no data and for statuses (`statuses`: e.g. contested), which are no side."""
    if controller is NO_DATA or controller in statuses:
        return None
    seen = {controller}
    while (parent := parents.get(controller)) is not None and parent not in seen:
        seen.add(parent)
        controller = parent
    return controller


def opposed(a: Side | None, b: Side | None) -> bool:
    return a is not None and b is not None and a != b


def pair(a: Side, b: Side) -> tuple[Side, Side]:
    """A pair of sides in one order (by str, as slugs and ids both sort), for totals per pair."""
    return (a, b) if str(a) <= str(b) else (b, a)


def by_sides(
    edges: Iterable[tuple[Controller, Controller, BaseGeometry]], sides: Mapping[Controller, Side | None]
) -> dict[tuple[Side, Side], MultiLineString]:
    """The front of each pair of opposing sides: the shared `edges` (controller, controller,
    lines) of opposing controllers, merged per pair of sides."""
    found: dict[tuple[Side, Side], list[BaseGeometry]] = {}
    for a, b, lines in edges:
        side_a, side_b = sides.get(a), sides.get(b)
        if opposed(side_a, side_b) and not lines.is_empty:
            found.setdefault(pair(side_a, side_b), []).append(lines)
    # A boundary segment lies between exactly two areas, so the edges of different pairs never
    # overlap: they are joined where they meet, not overlaid.
    return {
        key: parts[0] if len(parts) == 1 else linear(shapely.line_merge(shapely.multilinestrings(
            np.concatenate([shapely.get_parts(part) for part in parts]))))
        for key, parts in found.items()
    }  # fmt: skip


def fronts(territory: Territory, sides: Mapping[Controller, Side | None]) -> dict[tuple[Side, Side], MultiLineString]:
    """The fronts of a whole partition, per pair of opposing sides (tests and small theatres;
    the build shares each pair of areas' edge between dates instead)."""
    outlines = {controller: outline(area) for controller, area in territory.items()}
    controllers = list(territory)
    edges = (
        (a, b, shared_edge(outlines[a], outlines[b]))
        for i, a in enumerate(controllers)
        for b in controllers[i + 1 :]
        if opposed(sides.get(a), sides.get(b))
    )
    return by_sides(edges, sides)
