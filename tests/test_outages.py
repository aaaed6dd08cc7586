"""Redis down: an editor's save still succeeds (the sweep enqueues its rebuild once the broker is
back), and reads that use Redis as a cache answer from the database instead of failing."""

import datetime as dt
import json

import pytest
from django.contrib.gis.geos import GEOSGeometry
from django.core.cache import cache

from conflictmap.celery import app as celery_app
from conflictmap.territory.models import ControlChange, LayerState
from conflictmap.territory.sweep import HEARTBEAT_KEY, lagging, sweep

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens there: connections are refused at once


@pytest.fixture
def broker_down():
    """The Celery app's broker pointed at a port nothing listens on; yields a function that
    brings the real one back (also called when the test ends)."""
    url = celery_app.conf.broker_url

    def point_at(broker: str) -> None:
        celery_app.conf.broker_url = broker
        celery_app._pool = celery_app.amqp._producer_pool = None  # producers connect afresh

    point_at(DEAD_REDIS)
    yield lambda: point_at(url)
    point_at(url)


@pytest.fixture
def cache_down(settings):
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": DEAD_REDIS}}
    settings.RESPONSE_CACHE_SECONDS = 300  # on: every cached read meets the outage


@pytest.mark.django_db(transaction=True)  # the edit commits, so its on-commit enqueue really runs
def test_an_admin_edit_that_changes_the_layers_succeeds_while_the_broker_is_down(world, client, django_user_model,
                                                                                 broker_down):  # fmt: skip
    # A second publisher's approval of a correction: the admin write that puts an edit live.
    editor, publisher = (django_user_model.objects.create_superuser(name, f"{name}@example.org", "pw")
                         for name in ("editor", "publisher"))  # fmt: skip
    change = ControlChange.objects.get(controller=world.blue)
    version = LayerState.objects.get(theatre=world.theatre).version
    square = {"type": "MultiPolygon", "coordinates": [[[[11, 10], [14, 10], [14, 13], [11, 13], [11, 10]]]]}
    client.force_login(editor)
    client.post(f"/admin/territory/controlchange/{change.pk}/change/", {
        "theatre": world.theatre.pk, "date": "2020-01-01", "area": json.dumps(square), "controller": world.blue.pk,
        "confidence": "confirmed", "note": "", "sources": [world.source.pk], "external_id": "",
        "loaded_version": change.version, "_save": "Save",
    })  # fmt: skip
    client.force_login(publisher)
    response = client.post(f"/admin/territory/controlchange/{change.pk}/correction/", {"_correction": "approve"})
    assert response.status_code == 302, response.content.decode()[:1000]
    assert ControlChange.objects.get(pk=change.pk).area.equals(GEOSGeometry(json.dumps(square)))  # saved
    state = LayerState.objects.get(theatre=world.theatre)
    assert state.version > version and state.dirty_since is not None  # the work is kept
    with pytest.raises(Exception):  # noqa: B017  (kombu's OperationalError, whichever way it is wrapped)
        sweep()  # the sweep cannot reach the broker either...
    broker_down()  # back
    assert sweep() == [world.theatre.pk]  # ...and enqueues the rebuild once it is back


def test_reads_answer_from_the_database_while_the_cache_is_down(world, client, cache_down):
    for path in ["/api/v1/events/", "/api/v1/events/points/", "/api/v1/timeline/"]:
        assert client.get(path, {"theatre": "toyland"}).status_code == 200, path
    assert client.get("/tiles/toyland/2020-01-05/6/34/24.mvt").status_code == 200
    assert client.get("/api/v1/control/", {"theatre": "toyland", "date": "2020-01-05"}).status_code == 200
    assert cache.get(HEARTBEAT_KEY) is None  # really down: nothing is read from it


def test_health_reports_each_part(world, client):
    sweep()
    report = client.get("/healthz").json()
    assert report["status"] == "ok", report
    assert report["database"]["ok"] and report["cache"]["ok"] and report["broker"]["ok"] and report["worker"]["ok"]
    assert report["layers"] == [{
        "theatre": "toyland", "ok": True, "versions_behind": 0, "oldest_unbuilt_edit_seconds_ago": 0.0,
        "building": False, "failures": 0, "last_failure": None, "last_failure_at": None,
    }]  # fmt: skip


def test_health_is_degraded_when_the_cache_is_down_and_says_why(world, client, cache_down):
    response = client.get("/healthz")
    report = response.json()
    assert (response.status_code, report["status"], report["cache"]["ok"]) == (200, "degraded", False)
    assert "Connection refused" in report["cache"]["error"] or "Error" in report["cache"]["error"]
    assert report["database"]["ok"]


def test_health_tells_how_far_the_layers_lag(world, client):
    from tests.conftest import rect

    sweep()
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    LayerState.objects.filter(theatre=world.theatre).update(dirty_at="2000-01-01T00:00:00Z")
    report = client.get("/healthz").json()
    assert report["status"] == "degraded"
    assert report["layers"][0]["versions_behind"] == 1 and not report["layers"][0]["ok"]
    assert lagging() == [world.theatre.pk]
