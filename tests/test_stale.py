"""What makes layers stale (territory/stale.py): every write path, not only the admin's, marks
them, and writes that change nothing a layer shows mark nothing."""

import datetime as dt
import json

from django.db import connection
from django.db.migrations.loader import MigrationLoader

from conflictmap.territory.models import LayerState
from tests.conftest import START, rect


def layer_state(world) -> LayerState:
    return LayerState.objects.get(theatre=world.theatre)


def feature_of(client, slug: str, date: str = "2020-03-01") -> dict:
    answer = client.get("/api/v1/control/", {"theatre": "toyland", "date": date})
    return next(f["properties"] for f in json.loads(answer.content)["features"] if f["properties"]["faction"] == slug)


def test_a_faction_renamed_outside_the_admin_reaches_the_api_after_the_rebuild(world, client):
    assert feature_of(client, "red")["name"] == "Red"
    world.red.name, world.red.color = "Crimson", "#990000"
    world.red.save()  # as the shell, a script or an import would
    state = layer_state(world)
    assert (state.dirty_since, state.version > state.built_version) == (START, True)
    world.build()
    assert (feature_of(client, "red")["name"], feature_of(client, "red")["color"]) == ("Crimson", "#990000")
    history = json.loads(client.get("/api/v1/history/", {"theatre": "toyland"}).content)
    assert "Crimson" in [controller["name"] for controller in history["controllers"]]


def test_a_faction_renamed_by_a_data_migration_marks_the_layers_stale(world):
    historical = MigrationLoader(connection).project_state().apps.get_model("atlas", "Faction")
    faction = historical.objects.get(pk=world.blue.pk)  # a migration's model: another class, same label
    faction.name = "Azure"
    faction.save()
    assert layer_state(world).dirty_since == START


def test_a_faction_named_by_no_published_change_marks_nothing(world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11), status="draft")
    version = layer_state(world).version
    world.green.color = "#00ff00"
    world.green.save()
    assert layer_state(world).version == version


def test_a_faction_change_the_layers_do_not_show_marks_nothing(world):
    version = layer_state(world).version
    world.red.description = "A description no layer carries."
    world.red.save()
    assert layer_state(world).version == version


def test_a_theatre_outline_changed_from_a_script_marks_all_of_it_stale(world):
    world.theatre.boundary = rect(10, 10, 15, 13)
    world.theatre.save()
    state = layer_state(world)
    assert state.dirty_since == START
    assert state.dirty_region.covers(rect(10, 10, 14, 13))
    world.build()
    assert layer_state(world).dirty_since is None


def test_a_note_only_save_of_a_published_change_leaves_the_layers_alone(world):
    change = world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    version = layer_state(world).version
    change.note = "Sourced to a second report."
    change.save()
    assert layer_state(world).version == version


def test_a_published_change_given_to_another_controller_marks_its_area_from_its_date(world):
    change = world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    change.controller = world.blue
    change.save()
    state = layer_state(world)
    assert state.dirty_since == dt.date(2020, 2, 1)
    assert state.dirty_region.equals(rect(10, 10, 11, 11))


def test_deleting_a_published_change_marks_its_area_stale(world):
    change = world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    change.delete()
    state = layer_state(world)
    assert (state.dirty_since, state.dirty_region.equals(rect(10, 10, 11, 11))) == (dt.date(2020, 2, 1), True)
