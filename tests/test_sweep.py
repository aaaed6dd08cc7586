"""The sweep (territory/sweep.py) and claims (territory/build/claims.py): layers that lag their
data are rebuilt by nobody's command, a lost worker's claim lapses, and a build that keeps
failing is retried a bounded number of times, then reported, never looped."""

import datetime as dt

import pytest
from django.utils import timezone

from conflictmap.territory.build import claims
from conflictmap.territory.build.rebuild import rebuild
from conflictmap.territory.models import LayerState
from conflictmap.territory.sweep import lagging
from tests.conftest import rect


def state_of(world) -> LayerState:
    return LayerState.objects.get(theatre=world.theatre)


def test_layers_up_to_date_are_left_alone(world):
    assert lagging() == []


def test_layers_behind_their_data_are_swept_unless_someone_is_building_them(world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    assert lagging() == [world.theatre.pk]
    assert claims.take_claim(world.theatre, state_of(world).version)
    assert lagging() == []  # a live claim: its worker is on it


def test_a_claim_its_worker_stopped_renewing_lapses(world, settings):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    claims.take_claim(world.theatre, state_of(world).version)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.BUILD_CLAIM_SECONDS + 1)
    LayerState.objects.filter(theatre=world.theatre).update(claimed_at=long_ago)
    assert lagging() == [world.theatre.pk]


@pytest.mark.django_db(transaction=True)  # the renewing thread has a connection of its own
def test_a_claim_is_renewed_while_its_worker_builds(world, settings):
    settings.BUILD_CLAIM_SECONDS = 0.2  # renewed every 0.05 s
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    version = state_of(world).version
    claims.take_claim(world.theatre, version)
    taken = state_of(world).claimed_at
    with claims.renewing(world.theatre.pk, version):
        deadline = timezone.now() + dt.timedelta(seconds=5)
        while state_of(world).claimed_at == taken and timezone.now() < deadline:
            pass
    assert state_of(world).claimed_at > taken


def break_pieces(monkeypatch):
    from conflictmap.territory.build import scrubbing

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(scrubbing, "pieces_payloads", broken)


def test_a_build_that_keeps_failing_stops_being_swept_and_is_reported(world, settings, monkeypatch):
    settings.BUILD_MAX_ATTEMPTS = 2
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    break_pieces(monkeypatch)
    for _ in range(2):
        assert lagging() == [world.theatre.pk]
        with pytest.raises(RuntimeError):
            rebuild(world.theatre.pk, full=True, claim=True)
    state = state_of(world)
    assert (state.failures, state.last_failure) == (2, "RuntimeError: disk full")
    assert lagging() == []  # reported, not retried forever

    world.change(dt.date(2020, 3, 1), world.green, rect(12, 10, 13, 11))  # new data: tried again
    assert lagging() == [world.theatre.pk]
    monkeypatch.undo()
    world.build()
    state = state_of(world)
    assert (state.failures, state.dirty_at, lagging()) == (0, None, [])
    assert state.last_failure == "RuntimeError: disk full"  # kept for the admin


def test_an_edit_records_when_the_layers_fell_behind(world):
    before = timezone.now()
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    first = state_of(world).dirty_at
    assert first >= before
    world.change(dt.date(2020, 2, 2), world.green, rect(12, 10, 13, 11))
    assert state_of(world).dirty_at == first  # the oldest unbuilt edit's time


def test_the_admin_shows_the_lag_and_the_last_failure(world, admin_client, monkeypatch):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    break_pieces(monkeypatch)
    with pytest.raises(RuntimeError):
        rebuild(world.theatre.pk, full=True, claim=True)
    page = admin_client.get("/admin/territory/layerstate/").content.decode()
    assert "RuntimeError: disk full" in page and "minutes ago" in page  # the oldest unbuilt edit


def test_layers_built_before_they_said_their_sides_are_rebuilt_by_the_sweep(world):
    from importlib import import_module

    from django.apps import apps

    import_module("conflictmap.territory.migrations.0012_layers_say_sides").rebuild_everything(apps, None)
    assert lagging() == [world.theatre.pk]
    assert state_of(world).dirty_since == world.theatre.start_date
    rebuild(world.theatre.pk)
    assert lagging() == []
