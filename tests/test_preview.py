"""What saving a control change would move (territory/serve/preview.py), shown in the admin before saving."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from conflictmap.lib.geodesy import area_km2
from conflictmap.territory.areas import to_shapely
from conflictmap.territory.serve.preview import preview
from tests.conftest import rect


def test_each_holder_loses_its_part_of_the_area_and_the_new_controller_gains_the_sum(world):
    area = rect(11.5, 11, 12.5, 12)  # half in red's west, half in blue's east (the line is 12°E)
    moved = preview(world.theatre, dt.date(2020, 2, 1), world.green, area)
    by_slug = {move["faction"]: move["km2"] for move in moved["moves"]}
    half = area_km2(to_shapely(rect(11.5, 11, 12, 12)))
    assert by_slug["red"] == pytest.approx(-half, abs=0.1) and by_slug["blue"] == pytest.approx(-half, rel=1e-3)
    assert by_slug["green"] == pytest.approx(-(by_slug["red"] + by_slug["blue"]), abs=0.1)
    assert moved["moves"][-1]["faction"] == "green"
    assert moved["area_km2"] == pytest.approx(area_km2(to_shapely(area)), rel=1e-6)


def test_the_preview_reads_the_partition_of_the_changes_date_and_refuses_what_saving_would(world):
    world.change(dt.date(2020, 3, 1), world.green, rect(11.5, 11, 12.5, 12))
    world.build()
    before = preview(world.theatre, dt.date(2020, 2, 1), world.green, rect(11.5, 11, 12.5, 12))
    after = preview(world.theatre, dt.date(2020, 3, 1), world.green, rect(11.5, 11, 12.5, 12))
    assert before["moves"][-1]["km2"] > 0 and after["moves"] == [
        {"faction": "green", "name": "Green", "color": "#2ca02c", "km2": 0.0}
    ]  # green holds it already by then
    with pytest.raises(ValidationError, match="outside the theatre"):
        preview(world.theatre, dt.date(2020, 2, 1), world.green, rect(50, 50, 51, 51))


def test_an_edit_of_a_published_change_is_measured_against_the_map_without_it(world, admin_client):
    change = world.change(dt.date(2020, 3, 1), world.green, rect(11.5, 11, 12.5, 12))
    world.build()
    widened = rect(11.5, 11, 13, 12)  # the same change, drawn half a degree further east
    moved = preview(world.theatre, dt.date(2020, 3, 1), world.green, widened, change)
    by_slug = {move["faction"]: move["km2"] for move in moved["moves"]}
    assert by_slug["green"] == pytest.approx(area_km2(to_shapely(widened)), rel=1e-3)  # all of it, not the strip
    assert by_slug["blue"] == pytest.approx(-area_km2(to_shapely(rect(12, 11, 13, 12))), rel=1e-3)
    # The admin's form asks for it: its preview URL names the change being edited.
    page = admin_client.get(f"/admin/territory/controlchange/{change.pk}/change/").content.decode()
    assert f"preview/?change={change.pk}" in page
    response = admin_client.post(f"/admin/territory/controlchange/preview/?change={change.pk}", {
        "theatre": world.theatre.pk, "date": "2020-03-01", "controller": world.green.pk, "area": widened.geojson,
    })  # fmt: skip
    assert response.json()["moves"][-1]["km2"] == pytest.approx(by_slug["green"], rel=1e-6)
