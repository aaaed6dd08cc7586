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
from shapely.geometry import LineString, MultiLineString
from shapely.geometry.base import BaseGeometry

from conflictmap.lib.geometry import GRID
from conflictmap.lib.partition import NO_DATA, Controller, Territory

Side = Hashable  # a faction's top coalition, or the faction itself
NOTHING = MultiLineString()


@dataclass(frozen=True)
class Outline:
    """An area's boundary as segments, with each vertex as one integer on the grid (`keys`,
    sorted and unique; `ends`, each segment's two vertices), so that two outlines' common
    vertices are one sorted intersection."""

    bounds: tuple[float, float, float, float]
    segments: np.ndarray  # (n, 2, 2) coordinates
    ends: np.ndarray  # (n, 2) vertex keys
    keys: np.ndarray


def outline(area: BaseGeometry) -> Outline:
    rings = shapely.get_rings(shapely.get_parts(area))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    same_ring = ring[:-1] == ring[1:]
    keys = vertex_keys(coords)
    segments = np.stack([coords[:-1], coords[1:]], axis=1)[same_ring]
    ends = np.stack([keys[:-1], keys[1:]], axis=1)[same_ring]
    return Outline(tuple(shapely.bounds(area).tolist()), segments, ends, np.unique(keys))


def vertex_keys(coords: np.ndarray) -> np.ndarray:
    """One int64 per lon/lat vertex on the grid (29 bits of longitude, 28 of latitude)."""
    x = np.round((coords[:, 0] + 180) / GRID).astype(np.int64)
    y = np.round((coords[:, 1] + 90) / GRID).astype(np.int64)
    return (x << 29) | y


def shared_edge(a: Outline, b: Outline) -> MultiLineString:
    """The lines along which two areas of one partition meet, merged; empty where they only
    touch at points or not at all.

    Only the segments with a vertex on the other outline can lie along it: on a shared edge the
    two areas have the same vertices, or one has a few more where the grid snapped a third
    area's vertex onto it (then each such segment still ends at a common vertex). Those few
    segments are overlaid exactly, on the grid.
    """
    if not overlaps(a.bounds, b.bounds):
        return NOTHING
    common = np.intersect1d(a.keys, b.keys, assume_unique=True)
    if common.size < 2:
        return NOTHING
    near = [outline.segments[np.isin(outline.ends, common).any(axis=1)] for outline in (a, b)]
    if not all(len(segments) for segments in near):
        return NOTHING
    lines = shapely.intersection(*(shapely.multilinestrings(shapely.linestrings(s)) for s in near), grid_size=GRID)
    return linear(shapely.line_merge(linear(lines)))


def overlaps(a: tuple[float, ...], b: tuple[float, ...]) -> bool:
    return a[0] <= b[2] and b[0] <= a[2] and a[1] <= b[3] and b[1] <= a[3]


def linear(geometry: BaseGeometry) -> MultiLineString:
    """Only the line parts (an intersection of outlines also has the points where they cross)."""
    parts = [part for part in shapely.get_parts(geometry) if isinstance(part, LineString) and not part.is_empty]
    return MultiLineString(parts) if parts else NOTHING


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
    return {key: linear(shapely.line_merge(shapely.union_all(parts, grid_size=GRID))) for key, parts in found.items()}


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
