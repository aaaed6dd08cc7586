"""GET /api/v1/pieces/ and /api/v1/history/: what a client needs to show any date by itself."""

import datetime as dt

import pytest
from shapely.geometry import shape

from conflictmap.territory.models import LayerBuild
from tests.conftest import rect


def history_and_pieces(client):
    timeline = client.get("/api/v1/timeline/", {"theatre": "toyland"}).json()
    return client.get(timeline["history_url"]).json(), client.get(timeline["pieces_url"]).json()


def served_layer(client, date):
    features = client.get("/api/v1/control/", {"theatre": "toyland", "date": date}).json()["features"]
    return {feature["properties"]["faction"]: feature for feature in features}


def test_replaying_the_history_gives_each_dates_controllers_and_areas(client, world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    history, pieces = history_and_pieces(client)
    assert sorted(feature["id"] for feature in pieces["features"]) == list(range(len(history["initial"])))
    names = [controller["faction"] for controller in history["controllers"]]
    state = list(history["initial"])
    for step in history["steps"]:
        moves = step["moves"]
        for i in range(0, len(moves), 2):
            state[moves[i]] = moves[i + 1]
        served = served_layer(client, step["date"])
        for feature in pieces["features"]:  # each drawn piece lies in its controller's served area
            inside = shape(feature["geometry"]).representative_point()
            assert shape(served[names[state[feature["id"]]]]["geometry"]).contains(inside)
        for index, km2 in enumerate(step["areas"]):
            # Edges are geodesics between vertices, so cutting a 2°-long edge into pieces moves
            # the area a little (0.03% here); with real fronts' short edges it is nothing.
            expected = served[names[index]]["properties"]["area_km2"] if names[index] in served else 0
            assert km2 == pytest.approx(expected, rel=1e-3, abs=0.1)
    assert [step["date"] for step in history["steps"]] == ["2020-01-01", "2020-02-01"]


def test_each_step_names_what_changed_hands(client, world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.build()
    history, _ = history_and_pieces(client)
    names = [controller["faction"] for controller in history["controllers"]]
    step = history["steps"][-1]
    gained = {names[step["gained"][i]]: step["gained"][i + 1] for i in range(0, len(step["gained"]), 2)}
    lost = {names[step["lost"][i]]: step["lost"][i + 1] for i in range(0, len(step["lost"]), 2)}
    served = served_layer(client, "2020-02-01")
    assert gained == {"green": pytest.approx(served["green"]["properties"]["gained_km2"], rel=1e-3)}
    assert lost == {"red": pytest.approx(served["red"]["properties"]["lost_km2"], rel=1e-3)}


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


def test_pieces_too_small_to_draw_are_left_out_but_counted(client, world):
    world.change(dt.date(2020, 2, 1), world.green, rect(11, 11, 11.003, 11.003))  # about 0.1 km²
    world.build()
    history, pieces = history_and_pieces(client)
    names = [controller["faction"] for controller in history["controllers"]]
    step = history["steps"][-1]
    assert step["moves"] == []  # no drawn piece changed hands
    assert 0.05 < step["areas"][names.index("green")] < 0.2  # but the legend counts it
    assert len(pieces["features"]) == len(history["initial"])
