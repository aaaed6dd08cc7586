"""The whole pipeline with real parts: an ORM commit enqueues a task in Redis, a real Celery
worker process rebuilds the layers in the test database, and the API serves the new layer."""

import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from conflictmap.atlas.models import Status
from conflictmap.celery import app as celery_app
from conflictmap.territory.models import LayerBuild
from tests.conftest import START, TEST_QUEUE, rect

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def celery_worker(transactional_db):
    """A `celery worker` process on this run's queue, connected to the test database."""
    db = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
        "CELERY_QUEUE": TEST_QUEUE,
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "conflictmap",
            "worker",
            "--pool",
            "solo",
            "-Q",
            TEST_QUEUE,
            "--loglevel",
            "INFO",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"{TEST_QUEUE}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(
            lambda: celery_app.control.ping(destination=[f"{TEST_QUEUE}@{os.uname().nodename}"], timeout=0.5),
            "the worker to answer a ping",
        )
        yield process
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=20)
        print(output)  # shown by pytest when the test fails


def wait_for(condition, what, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError(f"Timed out after {timeout} s waiting for {what}")


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
    assert LayerBuild.objects.filter(is_current=True).get().rebuilt_from == dt.date(2020, 2, 1)
    assert LayerBuild.objects.count() == builds_before  # the old build was replaced, not kept


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
