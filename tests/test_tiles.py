"""Vector tiles of the control layer (territory/tiles.py), decoded with a standard decoder."""

import datetime as dt
import uuid

import mapbox_vector_tile
import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import rect


def get_tile(client, date, z, x, y, theatre="toyland"):
    return client.get(f"/tiles/{theatre}/{date}/{z}/{x}/{y}.mvt")


# Toyland spans 10–14° E, 10–13° N: at zoom 4 it lies in tile x = 8, y = 7.
Z, X, Y = 4, 8, 7


@pytest.fixture(autouse=True)
def own_cache_namespace(settings, monkeypatch):
    """A key prefix of this test's own, so no tile cached by another test (or run) is reused;
    nothing is flushed, because the same Redis also carries Celery's queues."""
    monkeypatch.setattr(caches["default"], "key_prefix", f"test-{uuid.uuid4().hex}")
    settings.TILE_CACHE_SECONDS = 60


def test_a_tile_decodes_to_the_layers_features(client, world):
    response = get_tile(client, "2020-01-02", Z, X, Y)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.mapbox-vector-tile"
    decoded = mapbox_vector_tile.decode(response.content)
    features = decoded["control"]["features"]
    assert {f["properties"]["faction"] for f in features} == {"red", "blue"}
    red = next(f for f in features if f["properties"]["faction"] == "red")
    assert red["properties"]["color"] == "#d62728" and red["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert red["properties"]["area_km2"] > 70_000


def test_tiles_follow_the_date_and_a_rebuild(client, world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    before = mapbox_vector_tile.decode(get_tile(client, "2020-01-31", Z, X, Y).content)
    after = mapbox_vector_tile.decode(get_tile(client, "2020-02-01", Z, X, Y).content)
    assert "green" not in {f["properties"]["faction"] for f in before["control"]["features"]}
    assert "green" in {f["properties"]["faction"] for f in after["control"]["features"]}


def test_a_tile_away_from_the_theatre_is_empty(client, world):
    response = get_tile(client, "2020-01-02", Z, 0, 0)
    assert response.status_code == 200 and mapbox_vector_tile.decode(response.content) == {}


@pytest.mark.parametrize(
    "path",
    [
        "/tiles/toyland/2019-12-31/4/8/7.mvt",
        "/tiles/toyland/2020-13-01/4/8/7.mvt",
        "/tiles/toyland/2020-01-02/4/99/7.mvt",
        "/tiles/atlantis/2020-01-02/4/8/7.mvt",
        "/tiles/toyland/2020-01-02/30/8/7.mvt",
    ],
)  # fmt: skip
def test_tiles_that_do_not_exist_are_404(client, world, path):
    assert client.get(path).status_code == 404


def test_a_tile_is_computed_once_then_served_from_the_cache(client, world):
    with CaptureQueriesContext(connection) as first:
        original = get_tile(client, "2020-01-02", Z, X, Y).content
    with CaptureQueriesContext(connection) as again:
        assert get_tile(client, "2020-01-02", Z, X, Y).content == original
    assert any("ST_AsMVT" in query["sql"] for query in first.captured_queries)
    assert not any("ST_AsMVT" in query["sql"] for query in again.captured_queries)
