"""The web process's layer cache (territory/serve/layer_cache.py) in front of the control API."""

import datetime as dt
import gzip
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from conflictmap.territory.serve.layer_cache import layers
from tests.conftest import rect

URL = "/api/v1/control/"


def factions(response):
    return {f["properties"]["faction"] for f in response.json()["features"]}


def test_a_hot_layer_is_served_without_touching_the_database(client, world, settings):
    settings.LAYER_CURRENT_TTL = 60
    with CaptureQueriesContext(connection) as first:
        assert client.get(URL, {"theatre": "toyland", "date": "2020-01-02"}).status_code == 200
    assert not any("ST_" in query["sql"] for query in first.captured_queries)  # nothing computed
    with CaptureQueriesContext(connection) as again:
        response = client.get(URL, {"theatre": "toyland", "date": "2020-01-02"})
    assert response.status_code == 200 and factions(response) == {"red", "blue"}
    assert again.captured_queries == []


def test_a_new_build_reaches_readers_once_the_ttl_has_passed(client, world, settings):
    settings.LAYER_CURRENT_TTL = 0.3
    assert factions(client.get(URL, {"theatre": "toyland", "date": "2020-03-01"})) == {"red", "blue"}
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    # Within the TTL this process may still serve the previous (complete) build...
    assert factions(client.get(URL, {"theatre": "toyland", "date": "2020-03-01"})) == {"red", "blue"}
    time.sleep(0.35)
    # ...and after it, the new one.
    assert factions(client.get(URL, {"theatre": "toyland", "date": "2020-03-01"})) == {"red", "blue", "green"}


def test_clients_that_accept_gzip_get_the_same_bytes_compressed(client, world):
    plain = client.get(URL, {"theatre": "toyland", "date": "2020-01-02"})
    packed = client.get(URL, {"theatre": "toyland", "date": "2020-01-02"}, HTTP_ACCEPT_ENCODING="gzip, br")
    assert packed["Content-Encoding"] == "gzip" and "Content-Encoding" not in plain
    assert gzip.decompress(packed.content) == plain.content
    assert packed["ETag"] == plain["ETag"] and "Accept-Encoding" in packed["Vary"]


def test_the_cache_keeps_to_its_byte_budget(client, world, settings):
    for day in range(2, 12):
        world.change(dt.date(2020, 1, day), world.green, rect(10, 10, 10 + day / 20, 11))
    world.build()
    one_layer = len(client.get(URL, {"theatre": "toyland", "date": "2020-01-11"}).content)
    settings.LAYER_CACHE_BYTES = 3 * one_layer
    for day in range(2, 12):
        assert client.get(URL, {"theatre": "toyland", "date": f"2020-01-{day:02}"}).status_code == 200
    assert 0 < layers._bytes <= settings.LAYER_CACHE_BYTES


def test_a_process_whose_build_was_just_replaced_still_answers(client, world, settings):
    settings.LAYER_CURRENT_TTL = 60  # this process will keep believing in the old build...
    assert client.get(URL, {"theatre": "toyland", "date": "2020-01-02"}).status_code == 200
    world.build(full=True)  # ...which this replaces and deletes
    response = client.get(URL, {"theatre": "toyland", "date": "2020-01-03"})  # a date not cached
    assert response.status_code == 200 and factions(response) == {"red", "blue"}
    assert client.get("/api/v1/pieces/", {"theatre": "toyland"}).status_code == 200
