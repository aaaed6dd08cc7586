"""Areas on the ellipsoid, in km². Degrees² are meaningless for reporting territory.

Measured in an equal-area projection of the WGS 84 ellipsoid (EPSG:6933, cylindrical): exact
for a polygon whose edges are straight in that projection, which differs from geodesic edges by
under 0.01% for territory drawn with vertices a few km apart, and about ten times faster than
integrating along geodesics (pyproj.Geod), which matters when a build measures thousands of
shapes. Valid away from the poles (the projection's limit is ±86°), so for any war theatre.
"""

import threading

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry.base import BaseGeometry

_local = threading.local()  # pyproj transformers must not be shared between threads


def _to_equal_area(coords: np.ndarray) -> np.ndarray:
    transformer = getattr(_local, "transformer", None)
    if transformer is None:
        transformer = _local.transformer = Transformer.from_crs("EPSG:4326", "EPSG:6933", always_xy=True)
    x, y = transformer.transform(coords[:, 0], coords[:, 1])
    return np.column_stack([x, y])


def area_km2(geometry: BaseGeometry) -> float:
    """Area of a lon/lat (EPSG:4326) polygonal geometry on the WGS 84 ellipsoid, in km²."""
    if geometry.is_empty:
        return 0.0
    return float(shapely.area(shapely.transform(geometry, _to_equal_area))) / 1e6


def areas_km2(geometries: np.ndarray) -> np.ndarray:
    """area_km2 of each of an array of geometries, projected in one call (a build's pieces: 95,734
    at 8 years)."""
    return shapely.area(shapely.transform(geometries, _to_equal_area)) / 1e6


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic distance between two lon/lat points on the WGS 84 ellipsoid, in km."""
    return float(Geod(ellps="WGS84").inv(a[0], a[1], b[0], b[1])[2]) / 1000


def length_km(geometry: BaseGeometry) -> float:
    """Length of a lon/lat (EPSG:4326) linear geometry along geodesics on the WGS 84 ellipsoid,
    in km (a front's length: every segment measured in one call)."""
    coords, part = shapely.get_coordinates(shapely.get_parts(geometry), return_index=True)
    same = part[:-1] == part[1:]
    if not same.any():
        return 0.0
    start, end = coords[:-1][same], coords[1:][same]
    return float(Geod(ellps="WGS84").inv(start[:, 0], start[:, 1], end[:, 0], end[:, 1])[2].sum()) / 1000
