"""GET /api/v1/control/: the built layer at a date, with ETags and clear errors."""

import datetime as dt
import json

import pytest
from django.contrib.gis.geos import GEOSGeometry
from shapely.geometry import MultiPolygon, Point

from conflictmap.editorial.workflow import Status
from conflictmap.territory.models import LayerSnapshot
from tests.conftest import START, rect

URL = "/api/v1/control/"


def get_layer(client, date, **headers):
    return client.get(URL, {"theatre": "toyland", "date": date}, headers=headers)


def test_it_returns_one_feature_per_controller_with_areas(client, world):
    response = get_layer(client, "2020-01-01")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    assert body["type"] == "FeatureCollection"
    by_faction = {f["properties"]["faction"]: f for f in body["features"]}
    assert set(by_faction) == {"red", "blue"}
    red = by_faction["red"]
    assert red["geometry"]["type"] == "MultiPolygon"
    assert red["properties"]["color"] == "#d62728"
    assert red["properties"]["name"] == "Red"
    # 2° × 3° at 10–13° N: about 222 km × 333 km.
    assert 72_000 < red["properties"]["area_km2"] < 74_000
    assert red["properties"]["valid_from"] == "2020-01-01"
    assert red["properties"]["valid_to"] is None


def test_intervals_are_half_open(client, world):
    world.change(dt.date(2020, 2, 1), world.green, rect(11, 10, 13, 12))
    world.build()
    before = get_layer(client, "2020-01-31").json()
    on_the_day = get_layer(client, "2020-02-01").json()
    assert {f["properties"]["faction"] for f in before["features"]} == {"red", "blue"}
    assert before["valid_to"] == "2020-02-01"
    assert {f["properties"]["faction"] for f in on_the_day["features"]} == {"red", "blue", "green"}
    assert on_the_day["valid_from"] == "2020-02-01"


def test_it_reports_gains_and_losses_against_the_previous_interval(client, world):
    world.change(dt.date(2020, 2, 1), world.blue, rect(11, 10, 12, 13))
    world.build()
    props = {f["properties"]["faction"]: f["properties"] for f in get_layer(client, "2020-02-01").json()["features"]}
    assert props["blue"]["gained_km2"] == pytest.approx(props["red"]["lost_km2"])
    assert props["blue"]["gained_km2"] > 30_000
    assert props["red"]["gained_km2"] == 0 and props["blue"]["lost_km2"] == 0


def test_it_sends_an_etag_and_cache_control_and_answers_304(client, world):
    first = get_layer(client, "2020-01-05")
    assert first["ETag"].startswith('"') and first["Cache-Control"].startswith("public, max-age=")
    again = get_layer(client, "2020-03-01", **{"If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize("header", ["W/{etag}", '{etag}, "other"', "*"])
def test_weak_listed_and_star_etags_match(client, world, header):
    etag = get_layer(client, "2020-01-05")["ETag"]
    assert get_layer(client, "2020-01-05", **{"If-None-Match": header.format(etag=etag)}).status_code == 304


@pytest.mark.parametrize("accept", ["application/geo+json", "text/html", "application/json"])
def test_any_accept_header_gets_the_geojson(client, world, accept):
    response = get_layer(client, "2020-01-05", HTTP_ACCEPT=accept)
    assert response.status_code == 200 and response.json()["type"] == "FeatureCollection"


def test_a_stale_etag_gets_the_new_layer(client, world):
    old = get_layer(client, "2020-01-05")["ETag"]
    world.change(dt.date(2020, 1, 3), world.green, rect(10, 10, 11, 11))
    world.build()
    response = get_layer(client, "2020-01-05", **{"If-None-Match": old})
    assert response.status_code == 200
    assert response["ETag"] != old


def test_drafts_do_not_shape_the_public_layer(client, world):
    world.change(dt.date(2020, 1, 10), world.green, rect(10, 10, 11, 11), status=Status.DRAFT)
    world.build()
    factions = {f["properties"]["faction"] for f in get_layer(client, "2020-01-10").json()["features"]}
    assert factions == {"red", "blue"}


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"theatre": "toyland", "date": "2019-12-31"}, 404, "before 2020-01-01"),
        ({"theatre": "toyland", "date": "2020-13-01"}, 400, "date"),
        ({"theatre": "toyland", "date": "yesterday"}, 400, "date"),
        ({"theatre": "toyland"}, 400, "date"),
        ({"theatre": "atlantis", "date": "2020-01-01"}, 404, "Unknown theatre 'atlantis'"),
        ({"date": "2020-01-01"}, 400, "theatre"),
    ],
)
def test_bad_parameters_get_a_clear_json_error(client, world, params, status, message):
    response = client.get(URL, params)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_a_theatre_without_published_changes_has_no_layer(client, world):
    world.theatre.changes.update(status=Status.DRAFT)
    world.build(full=True)
    response = get_layer(client, START.isoformat())
    assert response.status_code == 404
    assert "No published control layer" in response.json()["error"]


def wiggly(lng, lat, radius):
    """A round area with hundreds of vertices, far more than a country-wide map can show."""
    return GEOSGeometry(MultiPolygon([Point(lng, lat).buffer(radius, 128)]).wkt, srid=4326)


def coordinates(feature) -> int:
    return str(feature["geometry"]["coordinates"]).count("[") if feature["geometry"] else 0


def test_the_overview_has_the_same_features_and_areas_in_fewer_vertices(client, world):
    world.change(dt.date(2020, 2, 1), world.green, wiggly(12, 11.5, 0.6))
    world.build()
    full = get_layer(client, "2020-02-01")
    overview = client.get(URL, {"theatre": "toyland", "date": "2020-02-01", "detail": "overview"})
    assert overview.status_code == 200 and overview.json()["detail"] == "overview"
    full_features, overview_features = full.json()["features"], overview.json()["features"]
    assert [f["properties"] for f in overview_features] == [f["properties"] for f in full_features]
    assert sum(map(coordinates, overview_features)) < sum(map(coordinates, full_features)) / 2
    assert overview["ETag"] != full["ETag"]
    again = client.get(URL, {"theatre": "toyland", "date": "2020-02-01", "detail": "overview"},
                       headers={"If-None-Match": overview["ETag"]})  # fmt: skip
    assert again.status_code == 304


def test_the_small_country_view_is_the_overview_for_half_the_width(client, world):
    world.change(dt.date(2020, 2, 1), world.green, wiggly(12, 11.5, 0.6))
    world.build()
    views = {
        detail: client.get(URL, {"theatre": "toyland", "date": "2020-02-01", "detail": detail})
        for detail in ("overview", "small")
    }
    small, overview = views["small"], views["overview"]
    assert small.status_code == 200 and small.json()["detail"] == "small"
    assert [f["properties"] for f in small.json()["features"]] == [f["properties"] for f in overview.json()["features"]]
    assert sum(map(coordinates, small.json()["features"])) < sum(map(coordinates, overview.json()["features"]))
    assert small["ETag"] != overview["ETag"]
    again = client.get(URL, {"theatre": "toyland", "date": "2020-02-01", "detail": "small"},
                       headers={"If-None-Match": small["ETag"]})  # fmt: skip
    assert again.status_code == 304


def test_the_overview_is_made_once_and_the_latest_at_build_time(client, world):
    world.change(dt.date(2020, 2, 1), world.green, wiggly(12, 11.5, 0.6))
    world.build()
    current = LayerSnapshot.objects.filter(build__is_current=True)
    assert current.get(valid_to__isnull=True).overview is not None  # the first view, ready
    earlier = current.get(valid_from=START)
    assert earlier.overview is None
    client.get(URL, {"theatre": "toyland", "date": "2020-01-15", "detail": "overview"})
    earlier.refresh_from_db()
    assert json.loads(bytes(earlier.overview))["valid_to"] == "2020-02-01"  # stored for every process


def test_an_unknown_detail_gets_a_clear_error(client, world):
    response = client.get(URL, {"theatre": "toyland", "date": "2020-01-05", "detail": "high"})
    assert response.status_code == 400
    assert "detail" in response.json()["error"]
