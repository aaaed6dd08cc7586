"""Small geometry helpers shared by the partition code, the layer build and data loading.

Every overlay runs on a fixed grid (GRID degrees, about 10 cm at Syria's latitude): GEOS then
snaps results onto the grid, so neighbouring pieces share their edges exactly and repeated
differences and unions cannot drift into slivers.
"""

import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseGeometry

GRID = 1e-6


def polygonal(geometry: BaseGeometry) -> MultiPolygon:
    """Keep only the polygon parts (overlays can leave stray lines and points) as a MultiPolygon."""
    if isinstance(geometry, MultiPolygon):
        return geometry
    if isinstance(geometry, Polygon):
        return MultiPolygon([geometry]) if not geometry.is_empty else MultiPolygon()
    parts: list[Polygon] = []
    for part in getattr(geometry, "geoms", []):
        parts.extend(polygonal(part).geoms)
    return MultiPolygon(parts)


def snap(geometry: BaseGeometry) -> MultiPolygon:
    """Repair (make_valid) and snap a geometry onto the grid, keeping its polygonal parts."""
    if not geometry.is_valid:
        geometry = shapely.make_valid(geometry)
    return polygonal(shapely.set_precision(polygonal(geometry), GRID))


def clip(area: BaseGeometry, boundary: BaseGeometry) -> MultiPolygon:
    return polygonal(shapely.intersection(snap(area), boundary, grid_size=GRID))


def difference(a: BaseGeometry, b: BaseGeometry) -> MultiPolygon:
    return polygonal(shapely.difference(a, b, grid_size=GRID))


def intersection(a: BaseGeometry, b: BaseGeometry) -> MultiPolygon:
    return polygonal(shapely.intersection(a, b, grid_size=GRID))


def union(a: BaseGeometry, b: BaseGeometry) -> MultiPolygon:
    return polygonal(shapely.union(a, b, grid_size=GRID))


NEAR = 10 * GRID  # parts farther than this from an area cannot be changed by an overlay with it


def split_near(held: MultiPolygon, area: BaseGeometry) -> tuple[list[Polygon], list[Polygon]]:
    """(far, near): the parts of `held` farther from `area` than NEAR, and the others."""
    parts = shapely.get_parts(held)
    near = shapely.dwithin(parts, area, NEAR)
    return list(parts[~near]), list(parts[near])


def difference_near(held: MultiPolygon, area: BaseGeometry) -> MultiPolygon:
    """`held` minus `area`, overlaying only the parts near the area.

    A controller of a long war is hundreds of parts; a day's change touches a few. The far
    parts are kept as they are, so the work grows with the change, not with the controller.
    """
    far, near = split_near(held, area)
    if not near:
        return held
    return MultiPolygon([*far, *difference(MultiPolygon(near), area).geoms])


def intersection_near(held: MultiPolygon, area: BaseGeometry) -> MultiPolygon:
    """`held` within `area`, overlaying only the parts near the area (see difference_near)."""
    _, near = split_near(held, area)
    return intersection(MultiPolygon(near), area) if near else MultiPolygon()


def union_near(held: MultiPolygon, area: BaseGeometry) -> MultiPolygon:
    """`held` plus `area`, overlaying only the parts near the area (see difference_near)."""
    far, near = split_near(held, area)
    return MultiPolygon([*far, *union(MultiPolygon(near), area).geoms])
