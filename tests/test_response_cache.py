"""The Redis cache in front of event lists and timelines (http/response_cache.py)."""

import datetime as dt
import uuid

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conflictmap.atlas.models import Source
from conflictmap.events.models import Event
from tests.conftest import START

URL = "/api/v1/events/"


@pytest.fixture(autouse=True)
def cache_on(settings, monkeypatch):
    settings.RESPONSE_CACHE_SECONDS = 60
    monkeypatch.setattr(caches["default"], "key_prefix", f"test-{uuid.uuid4().hex}")


def titles(client):
    return [f["properties"]["title"] for f in client.get(URL, {"theatre": "toyland"}).json()["features"]]


def test_a_repeated_query_is_answered_from_the_cache(client, world):
    Event.objects.create(theatre=world.theatre, date=START, title="First", type="clash", status="published")
    assert titles(client) == ["First"]
    with CaptureQueriesContext(connection) as queries:
        assert titles(client) == ["First"]
    assert not any("events_event" in query["sql"] for query in queries.captured_queries)


def test_a_committed_edit_retires_cached_answers(client, world, django_capture_on_commit_callbacks):
    event = Event.objects.create(theatre=world.theatre, date=START, title="First", type="clash", status="published")
    assert titles(client) == ["First"]
    with django_capture_on_commit_callbacks(execute=True):
        event.title = "Corrected"
        event.save()
    assert titles(client) == ["Corrected"]
    with django_capture_on_commit_callbacks(execute=True):
        Event.objects.create(theatre=world.theatre, date=START + dt.timedelta(days=1), title="Second",
                             type="clash", status="published")  # fmt: skip
    assert titles(client) == ["Corrected", "Second"]


def test_editing_a_source_retires_answers_that_cite_it(client, world, django_capture_on_commit_callbacks):
    event = Event.objects.create(theatre=world.theatre, date=START, title="First", type="clash", status="published")
    source = Source.objects.create(title="Old title", publisher="P")
    event.sources.add(source)
    body = client.get(URL, {"theatre": "toyland"}).json()
    assert body["features"][0]["properties"]["sources"][0]["title"] == "Old title"
    with django_capture_on_commit_callbacks(execute=True):
        source.title = "New title"
        source.save()
    body = client.get(URL, {"theatre": "toyland"}).json()
    assert body["features"][0]["properties"]["sources"][0]["title"] == "New title"


def cached_answers() -> set:
    from django_redis import get_redis_connection

    return set(get_redis_connection("default").keys(f"{caches['default'].key_prefix}:*:api:*"))


@pytest.mark.parametrize("path", ["/api/v1/events/", "/api/v1/events/points/", "/api/v1/timeline/"])
def test_parameters_an_endpoint_does_not_read_add_no_cache_entries(client, world, path):
    Event.objects.create(theatre=world.theatre, date=START, title="First", type="clash", status="published")
    assert client.get(path, {"theatre": "toyland"}).status_code == 200
    entries = cached_answers()
    assert len(entries) == 1
    for n in range(20):
        assert client.get(path, {"theatre": "toyland", f"x{uuid.uuid4().hex}": "y" * 1000 + str(n)}).status_code == 200
    assert cached_answers() == entries  # the same answer, the same one entry


def test_parameters_an_endpoint_reads_make_answers_of_their_own(client, world):
    client.get(URL, {"theatre": "toyland"})
    client.get(URL, {"theatre": "toyland", "order": "newest"})
    client.get(URL, {"theatre": "toyland", "page_size": "5"})
    assert len(cached_answers()) == 3
