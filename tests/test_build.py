"""The layer build (conflictmap.territory.build.rebuild): incremental, idempotent, atomic, ordered."""

import datetime as dt
import random

import pytest
import shapely
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from shapely.geometry import Point

from conflictmap.editorial.workflow import Status
from conflictmap.territory.areas import to_geos
from conflictmap.territory.build.rebuild import rebuild
from conflictmap.territory.build.swap import swap_in
from conflictmap.territory.models import ControlChange, LayerBuild, LayerSnapshot, LayerState
from tests.conftest import START, assert_same_layers, current_layers, current_payloads, rect


def test_a_second_run_finds_nothing_to_do_and_changes_nothing(world):
    before = current_payloads(world.theatre)
    assert world.build() is None
    assert current_payloads(world.theatre) == before


def test_a_full_rebuild_gives_the_same_bytes(world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    before = current_payloads(world.theatre)
    world.build(full=True)
    assert current_payloads(world.theatre) == before


def test_an_edit_rebuilds_only_from_its_date(world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    first = current_payloads(world.theatre)
    world.change(dt.date(2020, 3, 1), world.blue, rect(10, 12, 11, 13))
    build = world.build()
    assert build.rebuilt_from == dt.date(2020, 3, 1)
    after = current_payloads(world.theatre)
    assert after[:2] == first[:1] + [(dt.date(2020, 2, 1), dt.date(2020, 3, 1), after[1][2])]
    assert after[0] == first[0]  # untouched snapshot, identical bytes


@pytest.mark.parametrize("seed", range(3))
def test_incremental_builds_equal_a_full_build_after_random_edits(world, seed):
    rng = random.Random(seed)
    changes = []
    for _ in range(12):
        action = rng.choice(["add", "add", "edit", "unpublish", "delete"]) if changes else "add"
        if action == "add":
            west, south = rng.uniform(9.5, 13.5), rng.uniform(9.5, 12.5)
            width, height = rng.uniform(0.2, 1.5), rng.uniform(0.2, 1.5)
            if rng.random() < 0.5:
                area = rect(west, south, west + width, south + height)
            else:  # round: its edges cross others' at points off the grid, which overlays snap
                area = to_geos(
                    shapely.MultiPolygon([Point(west, south).buffer(width / 2, quad_segs=rng.randint(2, 9))])
                )
            changes.append(
                world.change(
                    START + dt.timedelta(days=rng.randint(1, 60)),
                    rng.choice([world.red, world.blue, world.green]),
                    area,
                )
            )
        else:
            change = rng.choice(changes)
            if action == "edit":
                change.date = START + dt.timedelta(days=rng.randint(1, 60))
                change.save()
            elif action == "unpublish":
                change.status = Status.DRAFT
                change.save()
            else:
                changes.remove(change)
                change.delete()
        world.build()
    incremental = current_layers(world.theatre)
    world.build(full=True)
    assert_same_layers(current_layers(world.theatre), incremental)


def test_moving_a_change_to_an_earlier_date_rebuilds_from_there(world):
    change = world.change(dt.date(2020, 3, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    change.date = dt.date(2020, 2, 1)
    change.save()
    build = world.build()
    assert build.rebuilt_from == dt.date(2020, 2, 1)
    assert [row[0] for row in current_payloads(world.theatre)] == [START, dt.date(2020, 2, 1)]


def test_a_build_of_older_data_never_replaces_a_newer_one(world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    newer = world.build()
    stale = LayerBuild.objects.create(theatre=world.theatre, version=newer.version - 1, rebuilt_from=START)
    assert swap_in(stale.pk) is None
    assert LayerBuild.objects.get(theatre=world.theatre, is_current=True) == newer
    assert not LayerBuild.objects.filter(pk=stale.pk).exists()


def test_old_builds_are_removed_once_replaced(world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    assert LayerBuild.objects.filter(theatre=world.theatre).count() == 1


def test_a_change_is_clipped_to_the_theatre(world):
    change = world.change(dt.date(2020, 2, 1), world.green, rect(13, 12, 20, 20))
    assert change.area.extent == pytest.approx((13, 12, 14, 13))


def test_an_area_outside_the_theatre_is_refused_with_the_reason(world):
    with pytest.raises(ValidationError, match="outside the theatre"):
        world.change(dt.date(2020, 2, 1), world.green, rect(50, 50, 51, 51))
    assert not ControlChange.objects.filter(controller=world.green).exists()


def test_the_command_rebuilds_and_reports(world, capsys):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    call_command("rebuild_layers", "--theatre", "toyland")
    assert "2 snapshots from 2020-02-01" in capsys.readouterr().out
    call_command("rebuild_layers", "--theatre", "toyland")
    assert "already up to date" in capsys.readouterr().out


def test_the_command_names_the_known_theatres_when_given_an_unknown_one(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="known: toyland"):
        call_command("rebuild_layers", "--theatre", "narnia")


def test_many_edits_in_one_transaction_enqueue_one_rebuild(world):
    # Each test runs in one transaction, so every edit since the fixture is in the same one.
    for day in (5, 6, 7):
        world.change(dt.date(2020, 1, day), world.green, rect(10, 10, 11, 11))
    pending = [callback for _, callback, _ in connection.run_on_commit if hasattr(callback, "rebuilds_theatre")]
    assert [callback.rebuilds_theatre for callback in pending] == [world.theatre.pk]
    world.theatre.layer_state.refresh_from_db()
    assert world.theatre.layer_state.dirty_since == dt.date(2020, 1, 5)


def test_rebuild_of_a_theatre_without_state_builds_everything(world):
    world.theatre.layer_state.delete()
    LayerBuild.objects.all().delete()
    build = rebuild(world.theatre.pk)
    assert build.rebuilt_from == START and build.is_current


def partitions(theatre):
    """Each current snapshot's interval and its controllers' areas (km²)."""
    return [
        (snapshot.valid_from, snapshot.valid_to, {a.controller_id: a.holding.area_km2 for a in snapshot.areas.all()})
        for snapshot in LayerSnapshot.objects.filter(build__theatre=theatre, build__is_current=True)
        .order_by("valid_from")
        .prefetch_related("areas__holding")
    ]


@pytest.mark.parametrize("seed", range(2))
def test_chunked_incremental_builds_equal_a_full_build(world, settings, seed):
    # Chunks after the first start from the pieces, so bytes can differ from a build chunked
    # elsewhere: the same areas, with extra vertices where other changes' edges crossed them.
    # The partitions must not: same intervals, same controllers, same areas (edges are
    # geodesics between vertices, so extra vertices on these 2°-long edges move areas 0.03%).
    settings.BUILD_CHUNK_DATES = 2
    settings.BUILD_SPLICE_MAX_SHARE = 0  # re-derive every later date, in chunks, rather than splice
    rng = random.Random(seed)
    for _ in range(8):
        west, south = rng.uniform(9.5, 13.5), rng.uniform(9.5, 12.5)
        world.change(START + dt.timedelta(days=rng.randint(1, 40)), rng.choice([world.red, world.blue, world.green]),
                     rect(west, south, west + rng.uniform(0.2, 1.5), south + rng.uniform(0.2, 1.5)))  # fmt: skip
        world.build()
    assert len(LayerBuild.objects.get(theatre=world.theatre, is_current=True).chunk_starts) > 1
    incremental = partitions(world.theatre)
    world.build(full=True)
    full = partitions(world.theatre)
    assert [(start, end, set(areas)) for start, end, areas in full] == [
        (start, end, set(areas)) for start, end, areas in incremental
    ]
    for (_, _, a), (_, _, b) in zip(full, incremental, strict=True):
        assert a == pytest.approx(b, rel=1e-3)


def test_building_chunks_in_any_order_gives_the_same_bytes(world, settings):
    from conflictmap.territory.build.chunks import build_chunk

    settings.BUILD_CHUNK_DATES = 2
    for day in range(1, 9):
        world.change(START + dt.timedelta(days=day), world.green, rect(10 + day / 4, 10, 10.2 + day / 4, 11))
    world.build(full=True)
    in_order = current_payloads(world.theatre)
    assert rebuild(world.theatre.pk, full=True, distribute=True) is None  # handed to workers...
    build = LayerBuild.objects.filter(theatre=world.theatre, is_current=False).latest("pk")
    for index in reversed(range(len(build.chunk_starts))):  # ...which happen to finish backwards
        last = build_chunk(build.pk, index)
    assert last and swap_in(build.pk) is not None
    assert current_payloads(world.theatre) == in_order


def test_a_second_task_for_the_same_data_stands_down(world):
    from django.utils import timezone

    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    builds = LayerBuild.objects.count()
    state = world.theatre.layer_state
    state.refresh_from_db()
    LayerState.objects.filter(pk=state.pk).update(claimed_version=state.version, claimed_at=timezone.now())
    assert rebuild(world.theatre.pk, claim=True) is None
    assert LayerBuild.objects.count() == builds
    assert rebuild(world.theatre.pk) is not None  # the command line does not wait for claims


def test_a_lapsed_claim_no_longer_blocks(world, settings):
    from django.utils import timezone

    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    state = LayerState.objects.get(theatre=world.theatre)
    long_ago = timezone.now() - dt.timedelta(seconds=settings.BUILD_CLAIM_SECONDS + 1)
    LayerState.objects.filter(pk=state.pk).update(claimed_version=state.version, claimed_at=long_ago)
    assert rebuild(world.theatre.pk, claim=True) is not None  # the claimant was lost


def break_pieces(monkeypatch):
    from conflictmap.territory.build import scrubbing

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(scrubbing, "pieces_payloads", broken)


def test_a_failed_build_releases_its_claim(world, monkeypatch):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    break_pieces(monkeypatch)
    with pytest.raises(RuntimeError):
        rebuild(world.theatre.pk, claim=True)
    monkeypatch.undo()
    assert rebuild(world.theatre.pk, claim=True) is not None  # the retry is not blocked
    assert LayerBuild.objects.get(theatre=world.theatre, is_current=True).pieces_geojson != b""


def test_pieces_that_failed_after_a_spliced_build_went_in_are_made_by_the_next_run(world, monkeypatch):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    world.change(dt.date(2020, 3, 1), world.blue, rect(10.2, 10.2, 10.4, 10.4))
    break_pieces(monkeypatch)
    with pytest.raises(RuntimeError):
        rebuild(world.theatre.pk, claim=True)
    monkeypatch.undo()
    current = LayerBuild.objects.get(theatre=world.theatre, is_current=True)
    assert current.rebuilt_from == dt.date(2020, 3, 1) and bytes(current.pieces_geojson) == b""  # dates right
    assert rebuild(world.theatre.pk, claim=True) == current
    current.refresh_from_db()
    assert b"2020-03-01" in bytes(current.history_json)
    assert world.build() is None  # and then nothing is left to do
