"""Editors see what they publish: rows they can tell apart, the theatre chosen when there is one,
and revisions that name related items rather than numbering them."""

import datetime as dt
import re

import pytest

from conflictmap.editorial import history
from conflictmap.lib.geodesy import area_km2
from conflictmap.territory.areas import to_shapely
from conflictmap.territory.models import ControlChange
from tests.conftest import rect


def test_the_change_list_shows_each_changes_size_and_note(world, admin_client):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11), note="Green crossed the river at the ford")
    page = admin_client.get("/admin/territory/controlchange/").content.decode()
    assert "Green crossed the river at the ford" in page
    row = next(row for row in page.split("<tr") if "Green crossed the river" in row)
    shown = re.search(r'class="field-km2">([\d,.]+)<', row).group(1)
    assert float(shown.replace(",", "")) == pytest.approx(area_km2(to_shapely(rect(10, 10, 11, 11))), rel=1e-3)


def test_a_new_item_starts_in_the_only_theatre(world, admin_client):
    for path in ("/admin/territory/controlchange/add/", "/admin/events/event/add/"):
        page = admin_client.get(path).content.decode()
        assert f'<option value="{world.theatre.pk}" selected>' in page, path


def test_a_revision_names_the_controller_and_sources_it_changed(world):
    change = world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    change.controller = world.blue
    change.save()
    first, second = history.revisions_of(ControlChange, change.pk).order_by("id")
    shown = {
        name: (before, after) for name, before, after in history.differences(first.data, second.data, ControlChange)
    }
    assert shown["controller"] == ("Green", "Blue")
    assert history.shown([world.source.pk], world.source.__class__) == "Toy Press: Toyland Gazette, 01 Jan 2020"
