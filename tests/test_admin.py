"""The Django admin: every model is there, geometries use the Leaflet map widget, and a control
change submitted through the form is validated, clipped and queued for the layers."""

import json

import pytest
from django.apps import apps
from django.contrib import admin

from conflictmap.editorial.workflow import Status
from conflictmap.territory.models import ControlChange

APPS = ["atlas", "territory", "events"]


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    client.force_login(user)
    return client


def test_every_model_is_registered():
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            assert admin.site.is_registered(model), model


@pytest.mark.parametrize("label", APPS)
def test_every_changelist_renders(editor, world, label):
    for model in apps.get_app_config(label).get_models():
        url = f"/admin/{label}/{model._meta.model_name}/"
        assert editor.get(url).status_code == 200, url


def test_geometries_are_edited_on_a_leaflet_map(editor, world):
    page = editor.get("/admin/territory/controlchange/add/").content.decode()
    assert "leaflet" in page and 'name="area"' in page
    page = editor.get(f"/admin/atlas/theatre/{world.theatre.pk}/change/").content.decode()
    assert "leaflet" in page and 'name="boundary"' in page


def form_data(world, area):
    return {
        "theatre": world.theatre.pk,
        "date": "2020-02-01",
        "area": json.dumps(area),
        "controller": world.green.pk,
        "confidence": "confirmed",
        "note": "Drawn by an editor",
        "sources": [world.source.pk],
        "external_id": "",
    }


def test_an_editor_saves_a_change_and_it_is_clipped_and_kept_as_a_draft(editor, world):
    square = {"type": "Polygon", "coordinates": [[[13, 12], [16, 12], [16, 16], [13, 16], [13, 12]]]}
    response = editor.post("/admin/territory/controlchange/add/", form_data(world, square))
    assert response.status_code == 302, response.content.decode()[:2000]
    change = ControlChange.objects.get(controller=world.green)
    assert change.area.extent == pytest.approx((13, 12, 14, 13))
    assert change.status == Status.DRAFT  # published by the workflow (tests/test_workflow.py)
    world.theatre.layer_state.refresh_from_db()
    assert world.theatre.layer_state.dirty_since is None  # drafts never touch the public layers


def test_an_area_outside_the_theatre_is_refused_with_a_message(editor, world):
    far = {"type": "Polygon", "coordinates": [[[50, 50], [51, 50], [51, 51], [50, 51], [50, 50]]]}
    response = editor.post("/admin/territory/controlchange/add/", form_data(world, far))
    assert response.status_code == 200
    assert "outside the theatre" in response.content.decode()
    assert not ControlChange.objects.filter(controller=world.green).exists()


def test_a_date_before_the_theatre_start_is_refused(editor, world):
    square = {"type": "Polygon", "coordinates": [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]]}
    response = editor.post("/admin/territory/controlchange/add/", {**form_data(world, square), "date": "2019-06-01"})
    assert response.status_code == 200
    assert "starts on 2020-01-01" in response.content.decode()


def test_derived_layers_are_read_only(editor, world):
    assert editor.get("/admin/territory/layerbuild/add/").status_code == 403


def test_a_line_is_refused_as_an_area(editor, world):
    line = {"type": "LineString", "coordinates": [[10, 10], [11, 11]]}
    response = editor.post("/admin/territory/controlchange/add/", form_data(world, line))
    assert "Draw an area (polygon), not a linestring." in response.content.decode()


def test_deleting_selected_changes_in_the_admin_marks_the_layers_stale(editor, world):
    version = world.theatre.layer_state.version
    changes = ControlChange.objects.filter(controller=world.blue)
    response = editor.post(
        "/admin/territory/controlchange/",
        {"action": "delete_selected", "_selected_action": [c.pk for c in changes], "post": "yes"},
    )
    assert response.status_code == 302
    assert not ControlChange.objects.filter(controller=world.blue).exists()
    world.theatre.layer_state.refresh_from_db()
    assert world.theatre.layer_state.version > version
    world.build()
    body = editor.get("/api/v1/control/", {"theatre": "toyland", "date": "2020-01-02"}).json()
    assert {f["properties"]["faction"] for f in body["features"]} == {"red"}


def test_builds_cannot_be_deleted_by_hand(editor, world):
    from conflictmap.territory.models import LayerBuild

    build = LayerBuild.objects.get(is_current=True)
    assert editor.get(f"/admin/territory/layerbuild/{build.pk}/delete/").status_code == 403
