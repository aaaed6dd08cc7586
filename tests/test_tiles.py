"""Vector tiles of the control layer (territory/serve/tiles.py), decoded with a standard decoder."""

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


# The tile as ST_AsMVTGeom makes it from whole holdings, without TILE_SQL's clipping first.
WHOLE_HOLDINGS_SQL = """
SELECT ST_AsMVT(features, 'control', 4096, 'geom') FROM (
    SELECT ST_AsMVTGeom(ST_Transform(holding.geom, 3857), ST_TileEnvelope(%(z)s, %(x)s, %(y)s), 4096, 64, true)
           AS geom, faction.slug AS faction
    FROM territory_controlarea area JOIN territory_holding holding ON holding.id = area.holding_id
    LEFT JOIN atlas_faction faction ON faction.id = area.controller_id
    WHERE area.snapshot_id = %(snapshot)s
) features WHERE geom IS NOT NULL
"""


@pytest.mark.parametrize("z, x, y", [(Z, X, Y), (10, 546, 479), (14, 8738, 7665)])
def test_clipping_holdings_to_the_tile_first_draws_the_same_shapes(client, world, z, x, y):
    from shapely.geometry import shape

    from conflictmap.territory.models import LayerSnapshot

    snapshot = LayerSnapshot.objects.filter(build__is_current=True).covering(dt.date(2020, 1, 2)).get()
    with connection.cursor() as cursor:
        cursor.execute(WHOLE_HOLDINGS_SQL, {"z": z, "x": x, "y": y, "snapshot": snapshot.pk})
        whole = mapbox_vector_tile.decode(bytes(cursor.fetchone()[0]))["control"]["features"]
    served = mapbox_vector_tile.decode(get_tile(client, "2020-01-02", z, x, y).content)["control"]["features"]
    assert (
        {f["properties"]["faction"] for f in served} == {f["properties"]["faction"] for f in whole} == {"red", "blue"}
    )
    for feature in served:  # the border between red and blue (12° E) crosses each tile
        same = next(f for f in whole if f["properties"]["faction"] == feature["properties"]["faction"])
        assert shape(feature["geometry"]).symmetric_difference(shape(same["geometry"])).area < 1  # tile units²
