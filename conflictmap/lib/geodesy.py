"""Areas on the ellipsoid, in km². Degrees² are meaningless for reporting territory."""

from pyproj import Geod
from shapely.geometry.base import BaseGeometry

_WGS84 = Geod(ellps="WGS84")


def area_km2(geometry: BaseGeometry) -> float:
    """Geodesic area of a lon/lat (EPSG:4326) polygonal geometry, in km²."""
    if geometry.is_empty:
        return 0.0
    area_m2, _perimeter = _WGS84.geometry_area_perimeter(geometry)
    return abs(area_m2) / 1e6
