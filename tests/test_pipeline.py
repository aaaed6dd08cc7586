"""The whole pipeline with real parts: an ORM commit enqueues a task in Redis, a real Celery
worker process rebuilds the layers in the test database, and the API serves the new layer."""

import datetime as dt
import re

import pytest
from django.db import transaction

from conflictmap.celery import app as celery_app
from conflictmap.editorial.workflow import Status
from conflictmap.exports.formats import HISTORY_FORMATS
from conflictmap.exports.stored import newest, state_of
from conflictmap.territory.build.rebuild import rebuild
from conflictmap.territory.models import LayerBuild, LayerState
from tests.conftest import START, TEST_QUEUE, assert_same_layers, current_layers, current_payloads, rect
from tests.workers import start_worker, stop, wait_for

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def celery_worker(transactional_db):
    process = start_worker(TEST_QUEUE)
    try:
        yield process
    finally:
        print(stop(process))  # shown by pytest when the test fails


def history_written(theatre) -> bool:
    """Every full-history file written, of the data as it stands."""
    state = state_of(theatre)
    return all((stored := newest(theatre, name)) is not None and stored.state == state for name in HISTORY_FORMATS)


def factions_on(client, date):
    response = client.get("/api/v1/control/", {"theatre": "toyland", "date": date})
    if response.status_code != 200:
        return None
    return {f["properties"]["faction"]: f["properties"]["area_km2"] for f in response.json()["features"]}


def test_publishing_a_change_makes_the_worker_rebuild_and_the_api_show_it(client, world, celery_worker):
    assert set(factions_on(client, "2020-03-01")) == {"red", "blue"}
    builds_before = LayerBuild.objects.count()

    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))  # committed: no test transaction

    wait_for(lambda: "green" in (factions_on(client, "2020-03-01") or {}), "the green area to appear")
    assert set(factions_on(client, "2020-01-31")) == {"red", "blue"}  # earlier dates unchanged
    # Today's layer (the head) comes first; the full build, from the edit's date on, right after.
    wait_for(lambda: LayerBuild.objects.filter(is_current=True, rebuilt_from=dt.date(2020, 2, 1)).exists(), "the build")
    assert LayerBuild.objects.count() == builds_before  # the old build was replaced, not kept
    # The build published, the worker writes the full-history files of the data it holds.
    wait_for(lambda: history_written(world.theatre), "the worker to write the history files")


def test_unpublishing_a_change_removes_it_from_the_layer(client, world, celery_worker):
    change = world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    wait_for(lambda: "green" in (factions_on(client, "2020-03-01") or {}), "the green area to appear")

    change.status = Status.DRAFT
    change.save()

    wait_for(lambda: set(factions_on(client, "2020-03-01") or {}) == {"red", "blue"}, "the green area to go")


def test_drafts_enqueue_nothing_and_change_nothing(client, world):
    version = world.theatre.layer_state.version
    world.change(START, world.green, rect(10, 10, 11, 11), status=Status.DRAFT)
    world.theatre.layer_state.refresh_from_db()
    assert world.theatre.layer_state.version == version


def test_two_workers_share_builds_and_write_what_one_process_writes(client, world, settings):
    settings.BUILD_CHUNK_DATES = 2
    LayerBuild.objects.all().delete()  # so the next rebuild is a full one, chunked from the start
    celery_app.control.purge()  # the fixture's own rebuild tasks: built already
    chunk_sizes = {"BUILD_CHUNK_DATES": "2", "BUILD_SPLICE_CHUNK_DATES": "2"}
    workers = [start_worker(f"{TEST_QUEUE}-{n}", **chunk_sizes) for n in (1, 2)]
    try:
        with transaction.atomic():  # one commit: one rebuild task, whose chunks both workers take
            for day in range(1, 9):
                world.change(START + dt.timedelta(days=day), world.green, rect(10 + day / 4, 10, 10.2 + day / 4, 11))
        version = LayerState.objects.get(theatre=world.theatre).version
        wait_for(lambda: LayerBuild.objects.filter(is_current=True, version=version).exists(), "the shared build")
        assert len(LayerBuild.objects.get(is_current=True).chunk_starts) == 5  # 9 dates in chunks of 2
        by_workers = current_payloads(world.theatre)
        source = rebuild(world.theatre.pk, full=True)  # one process, in order
        assert current_payloads(world.theatre) == by_workers

        # An edit across later strips: its region is spliced into days 3 to 8, in three chunks.
        world.change(START + dt.timedelta(days=3), world.blue, rect(10.5, 10.5, 11.5, 10.8))
        version = LayerState.objects.get(theatre=world.theatre).version
        wait_for(lambda: LayerBuild.objects.filter(is_current=True, version=version).exists(), "the spliced build")
        spliced = LayerBuild.objects.get(is_current=True)
        assert spliced.spliced_from == source.pk and len(spliced.chunk_starts) == 3
        spliced_by_workers = current_layers(world.theatre)
    finally:
        outputs = [stop(worker) for worker in workers]
    done = [len(re.findall(r"territory\.build_chunk\[[^]]+\] succeeded", output)) for output in outputs]
    print("chunks per worker", done)
    assert sum(done) == 5 + 3  # each chunk built once, by whichever worker was free
    rebuild(world.theatre.pk, full=True)
    assert_same_layers(current_layers(world.theatre), spliced_by_workers)
