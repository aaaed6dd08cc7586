"""Areas are reported in km² on the ellipsoid, checked against independent figures."""

import json
import math
from pathlib import Path

import pytest
from shapely.geometry import box, shape

from conflictmap.lib.geodesy import area_km2

AUTHALIC_RADIUS_KM = 6371.0072


def sphere_cell_km2(west, south, east, north):
    """Area of a lon/lat cell on the authalic sphere: R² · Δλ · (sin φ2 − sin φ1)."""
    return (
        AUTHALIC_RADIUS_KM**2
        * math.radians(east - west)
        * (math.sin(math.radians(north)) - math.sin(math.radians(south)))
    )


@pytest.mark.parametrize("south", [0, 33, 45])
def test_a_one_degree_cell_matches_the_sphere_within_half_a_percent(south):
    expected = sphere_cell_km2(36, south, 37, south + 1)
    assert area_km2(box(36, south, 37, south + 1)) == pytest.approx(expected, rel=0.005)


def test_the_demo_outline_of_syria_has_syrias_area():
    # Syria is 185,180 km² including the Golan (about 1,200 km²), which this outline excludes.
    outline = json.loads(Path("fixtures/geo/syria-admin0.geojson").read_text())["features"][0]["geometry"]
    assert 180_000 < area_km2(shape(outline)) < 187_000


def test_an_empty_geometry_has_no_area():
    assert area_km2(box(0, 0, 1, 1).difference(box(0, 0, 1, 1))) == 0.0


def test_it_agrees_with_geodesic_integration_on_a_real_outline():
    from pyproj import Geod

    outline = shape(json.loads(Path("fixtures/geo/syria-admin0.geojson").read_text())["features"][0]["geometry"])
    geodesic_m2, _ = Geod(ellps="WGS84").geometry_area_perimeter(outline)
    assert area_km2(outline) == pytest.approx(abs(geodesic_m2) / 1e6, rel=1e-4)
