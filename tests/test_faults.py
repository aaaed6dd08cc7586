"""Lost work is redone (settings: late acknowledgement, rejection on worker loss, the broker's
visibility timeout; claims that lapse; the sweep): real worker processes killed mid-build, and
the layers still come out equal to a fresh full build, with no new edit and no command."""

import os
import signal
import time

import pytest

from conflictmap.celery import app as celery_app
from conflictmap.territory.build.rebuild import rebuild
from conflictmap.territory.models import REBUILD_TASK, LayerBuild, LayerState
from tests.conftest import TEST_QUEUE, current_payloads
from tests.workers import children, kill_all, start_worker, stop, wait_for

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]

# Small chunks, so a build of the small war below has many, and a kill lands in the middle.
CHUNKS = {"BUILD_CHUNK_DATES": "6", "BUILD_SPLICE_CHUNK_DATES": "6"}
# A lost worker's claim and messages are given up on in seconds, not minutes.
FAST_RECOVERY = {"BUILD_CLAIM_SECONDS": "4", "BROKER_VISIBILITY_TIMEOUT": "4", "LAYER_SWEEP_SECONDS": "1"}


@pytest.fixture
def war(transactional_db, settings):
    """A small synthetic war (bench/synthetic.py): 60 days, some 130 changes, no layers yet."""
    from bench import synthetic

    settings.BUILD_CHUNK_DATES = int(CHUNKS["BUILD_CHUNK_DATES"])
    theatre = synthetic.load(synthetic.Scale(days=60, factions=5, events=0), progress=lambda *args: None)
    celery_app.control.purge()  # only the build the test starts
    return theatre


def building(theatre) -> LayerBuild | None:
    """The build under way, once it has written at least two chunks and has three more to go."""
    build = LayerBuild.objects.filter(theatre=theatre, is_current=False).order_by("-pk").first()
    return build if build and 2 <= build.chunks_done < len(build.chunk_starts) - 2 else None


def mid_chunk(build: LayerBuild) -> None:
    """Return some 50 ms into a chunk of the `build` under way that is not its last: just after
    one more chunk is written (the next starts within milliseconds and, with 6 dates, takes 75 ms
    or more). A kill the moment a build is under way may land between two tasks, which Celery
    hands on unharmed."""
    done = build.chunks_done
    deadline = time.monotonic() + 60
    while build.chunks_done == done and time.monotonic() < deadline:
        time.sleep(0.005)
        build.refresh_from_db(fields=["chunks_done"])
    assert done < build.chunks_done < len(build.chunk_starts) - 1, "a chunk written, and more to come"
    time.sleep(0.05)


def built(theatre) -> bool:
    version = LayerState.objects.get(theatre=theatre).version
    return LayerBuild.objects.filter(theatre=theatre, is_current=True, version=version).exists()


def assert_equal_to_a_fresh_full_build(theatre):
    by_workers = current_payloads(theatre)
    rebuild(theatre.pk, full=True)
    assert current_payloads(theatre) == by_workers


def test_a_worker_process_killed_mid_build_has_its_chunk_redone(war):
    worker = start_worker(f"{TEST_QUEUE}-pool", "--pool", "prefork", "--concurrency", "1", **CHUNKS)
    try:
        celery_app.send_task(REBUILD_TASK, args=[war.pk])
        mid_chunk(wait_for(lambda: building(war), "the build to be under way", timeout=120))
        for child in children(worker.pid):
            os.kill(child, signal.SIGKILL)  # the pool's process, mid-chunk; the worker starts another
        wait_for(lambda: built(war), "the build to complete after the kill", timeout=120)
    finally:
        output = stop(worker)
    print(output)
    assert "WorkerLostError" in output  # the kill landed during a task...
    assert_equal_to_a_fresh_full_build(war)  # ...which ran again, in full


def test_a_whole_worker_killed_mid_build_is_finished_by_the_next_one(war):
    first = start_worker(f"{TEST_QUEUE}-first", "--pool", "prefork", "--concurrency", "1", **CHUNKS, **FAST_RECOVERY)
    celery_app.send_task(REBUILD_TASK, args=[war.pk])
    wait_for(lambda: building(war), "the build to be under way", timeout=120)
    kill_all(first)  # no goodbye: its messages stay unacknowledged, its claim unreleased
    assert not built(war)
    # The restart, as a process manager would: a worker with Celery beat (the sweep) beside it.
    second = start_worker(f"{TEST_QUEUE}-second", "--beat", "--schedule", "/tmp/conflictmap-test-beat-schedule",
                          **CHUNKS, **FAST_RECOVERY)  # fmt: skip
    try:
        wait_for(lambda: built(war), "the next worker to finish the build", timeout=120)
    finally:
        print(stop(second))
    assert_equal_to_a_fresh_full_build(war)
