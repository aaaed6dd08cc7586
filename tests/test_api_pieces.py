"""GET /api/v1/pieces/ and /api/v1/history/: what a client needs to show any date by itself."""

import datetime as dt

import pytest

from conflictmap.territory.models import LayerBuild
from tests.conftest import rect


def history_and_pieces(client):
    timeline = client.get("/api/v1/timeline/", {"theatre": "toyland"}).json()
    return client.get(timeline["history_url"]).json(), client.get(timeline["pieces_url"]).json()


def test_replaying_the_history_gives_each_dates_areas(client, world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    history, pieces = history_and_pieces(client)
    area = pieces["areas"]
    assert len(area) == len(history["initial"])
    assert {feature["id"] for feature in pieces["features"]} <= set(range(len(area)))
    names = [controller["faction"] for controller in history["controllers"]]
    state = list(history["initial"])
    for step in history["steps"]:
        moves = step["moves"]
        for i in range(0, len(moves), 2):
            state[moves[i]] = moves[i + 1]
        totals = {}
        for piece, holder in enumerate(state):
            totals[names[holder]] = totals.get(names[holder], 0) + area[piece]
        served = client.get("/api/v1/control/", {"theatre": "toyland", "date": step["date"]}).json()
        for feature in served["features"]:
            # Edges are geodesics between vertices, so cutting a 2°-long edge into pieces moves
            # the area a little (0.03% here); with real fronts' short edges it is nothing.
            expected = feature["properties"]["area_km2"]
            assert totals[feature["properties"]["faction"]] == pytest.approx(expected, rel=1e-3)
    assert [step["date"] for step in history["steps"]] == ["2020-01-01", "2020-02-01"]


def test_versioned_urls_are_immutable_and_replaced_ones_are_gone(client, world):
    timeline = client.get("/api/v1/timeline/", {"theatre": "toyland"}).json()
    response = client.get(timeline["pieces_url"])
    assert response.status_code == 200 and "immutable" in response["Cache-Control"]
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    gone = client.get(timeline["history_url"])
    assert gone.status_code == 404 and "/api/v1/timeline/" in gone.json()["error"]
    fresh = client.get("/api/v1/timeline/", {"theatre": "toyland"}).json()
    assert fresh["history_url"] != timeline["history_url"]
    assert client.get(fresh["history_url"]).status_code == 200


def test_unversioned_requests_revalidate_with_the_etag(client, world):
    first = client.get("/api/v1/history/", {"theatre": "toyland"})
    again = client.get("/api/v1/history/", {"theatre": "toyland"}, headers={"If-None-Match": first["ETag"]})
    assert first["Content-Type"] == "application/json" and again.status_code == 304


def test_a_theatre_without_a_build_has_no_pieces_yet(client, world):
    LayerBuild.objects.all().delete()
    response = client.get("/api/v1/pieces/", {"theatre": "toyland"})
    assert response.status_code == 404 and "built" in response.json()["error"]


def test_pieces_too_small_to_draw_have_no_feature_but_keep_their_area(client, world):
    world.change(dt.date(2020, 2, 1), world.green, rect(11, 11, 11.003, 11.003))  # about 0.1 km²
    world.build()
    history, pieces = history_and_pieces(client)
    green = next(i for i, c in enumerate(history["controllers"]) if c["faction"] == "green")
    held = [piece for piece, holder in zip(history["steps"][-1]["moves"][::2], history["steps"][-1]["moves"][1::2],
                                           strict=True) if holder == green]  # fmt: skip
    assert held and not {feature["id"] for feature in pieces["features"]} & set(held)
    assert 0.05 < sum(pieces["areas"][piece] for piece in held) < 0.2
    assert len(pieces["features"]) < len(pieces["areas"])
