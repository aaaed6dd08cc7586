"""Generalise a partition for the country view: fewer vertices, no gaps or overlaps.

An eight-year war leaves every controller with hundreds of polygons, many of them a few km²,
and borders with a vertex every few hundred metres: over a megabyte of GeoJSON, where a
country-wide map has about a kilometre per pixel. The partition is simplified as one coverage
(GEOS coverage operations, through shapely 2.1+), so neighbours keep sharing each border
exactly, and polygons too small to see are merged into their neighbours.

Used by conflictmap.territory.build.overview; pure shapely, tested without a database.
"""

import math
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry import MultiPolygon
from shapely.geometry.base import BaseGeometry

PIXELS_ACROSS = 600  # a country view's width in pixels: one pixel is the tolerance
SMALL_PIXELS_ACROSS = 300  # a small country view's (an embed in an article column, a phone)
SMALLEST_PIXELS = 3  # polygons narrower than about this many pixels are merged away


def overview(shapes: Sequence[BaseGeometry], pixels_across: int = PIXELS_ACROSS) -> list[MultiPolygon]:
    """The partition `shapes` (one polygonal geometry per controller, or per piece, tiling the
    theatre) generalised for a country-wide map `pixels_across` wide; the result has one
    MultiPolygon per input, in order, possibly empty.

    1. Split every controller into its polygons and drop those smaller than a few pixels.
    2. Clean the rest as a coverage: edges shared exactly, and the holes the dropped polygons
       left merged into the neighbour with the longest shared border.
    3. Simplify the coverage (each shared edge once, so neighbours stay matched).
    4. Dissolve each controller's polygons again.
    """
    parts = shapely.get_parts(np.asarray(shapes, dtype=object), return_index=True)
    polygons, owners = parts
    if len(polygons) == 0:
        return [MultiPolygon() for _ in shapes]
    pixel, squash = pixel_of(polygons, pixels_across)
    keep = shapely.area(polygons) * squash >= (SMALLEST_PIXELS * pixel) ** 2
    cleaned = shapely.coverage_clean(polygons[keep], gap_width=SMALLEST_PIXELS * pixel)
    simplified = shapely.coverage_simplify(cleaned, pixel)
    kept_owners = owners[keep]
    result = []
    for index in range(len(shapes)):
        mine = simplified[kept_owners == index]
        mine = mine[~shapely.is_empty(mine)]
        dissolved = shapely.coverage_union_all(mine) if len(mine) else MultiPolygon()
        result.append(_multipolygon(dissolved))
    return result


def pixel_of(shapes, pixels_across: int = PIXELS_ACROSS) -> tuple[float, float]:
    """A country view's pixel, in degrees of latitude, for shapes spanning the theatre, and the
    length of a degree of longitude in degrees of latitude (cos(latitude) at their middle)."""
    west, south, east, north = shapely.total_bounds(shapes)
    squash = math.cos(math.radians((south + north) / 2))
    return max((east - west) * squash, north - south) / pixels_across, squash


def decimals_for(shapes, pixels_across: int = PIXELS_ACROSS, steps_per_pixel: int = 5) -> int:
    """Decimal places that keep coordinates within a tenth of the country view's pixel (a step
    of at most a fifth of a pixel; rounding moves a point by half a step at most).
    `steps_per_pixel` 1: within half a pixel (the small view's, shown only while the theatre is
    at most 400 px across, where a point moves by at most 0.4 px: 2 decimals for Syria, a
    quarter fewer bytes than 3, and every embed loads it first)."""
    return max(0, math.ceil(-math.log10(pixel_of(shapes, pixels_across)[0] / steps_per_pixel)))


def _multipolygon(geometry: BaseGeometry) -> MultiPolygon:
    if isinstance(geometry, MultiPolygon):
        return geometry
    polygons = [part for part in shapely.get_parts(geometry) if part.geom_type == "Polygon" and not part.is_empty]
    return MultiPolygon(polygons)
