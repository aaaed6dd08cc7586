"""GET /api/v1/control/at/: who held a spot when, by which change, and its history, checked
against hand-made cases and against the built layers themselves."""

import datetime as dt
import random

import pytest
import shapely
from shapely.geometry import Point, shape

from conflictmap.editorial.workflow import Status
from tests.conftest import START, rect

URL = "/api/v1/control/at/"
RED_SPOT, BLUE_SPOT = (11.0, 11.0), (13.0, 11.0)  # lon, lat: the toy theatre's two halves


def at(client, spot, **params):
    response = client.get(URL, {"theatre": "toyland", "lon": spot[0], "lat": spot[1], **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_a_spot_held_since_the_start_names_its_holder_and_the_change_with_its_sources(client, world):
    body = at(client, BLUE_SPOT)
    assert body["held_by"]["faction"] == "blue" and body["since"] == "2020-01-01" and body["until"] is None
    assert body["change"]["date"] == "2020-01-01"
    assert body["change"]["sources"][0]["title"] == "Toyland Gazette"
    assert [(run["faction"], run["start"], run["end"]) for run in body["history"]] == [("blue", "2020-01-01", None)]


def test_the_history_runs_from_change_to_change_and_the_date_picks_one_run(client, world):
    taken = world.change(dt.date(2020, 2, 1), world.green, rect(12.5, 10.5, 13.5, 11.5), note="Taken in a night")
    world.change(dt.date(2020, 2, 10), world.green, rect(12.8, 10.8, 13.2, 11.2))  # the same side again
    world.change(dt.date(2020, 3, 1), world.blue, rect(12.9, 10.9, 13.1, 11.1))
    world.change(dt.date(2020, 4, 1), world.red, rect(12.9, 10.9, 13.1, 11.1), status=Status.DRAFT)  # not published
    body = at(client, BLUE_SPOT, date="2020-02-15")
    assert body["held_by"]["faction"] == "green" and body["held_by"]["color"] == "#2ca02c"
    assert (body["since"], body["until"]) == ("2020-02-01", "2020-03-01")
    assert body["change"]["id"] == taken.pk and body["change"]["note"] == "Taken in a night"
    assert [(run["faction"], run["start"], run["end"]) for run in body["history"]] == [
        ("blue", "2020-01-01", "2020-02-01"),
        ("green", "2020-02-01", "2020-03-01"),
        ("blue", "2020-03-01", None),
    ]
    assert at(client, BLUE_SPOT)["held_by"]["faction"] == "blue", "no date: the latest"
    assert at(client, RED_SPOT, date="2020-02-15")["held_by"]["faction"] == "red"


def test_of_two_changes_on_one_day_the_later_holds_and_before_any_change_there_is_no_data(client, world):
    world.theatre.start_date = dt.date(2019, 12, 1)
    world.theatre.save()
    world.change(dt.date(2020, 2, 1), world.green, rect(12.5, 10.5, 13.5, 11.5))
    last = world.change(dt.date(2020, 2, 1), world.red, rect(12.9, 10.9, 13.1, 11.1))
    body = at(client, BLUE_SPOT, date="2019-12-15")
    assert body["held_by"]["faction"] is None and body["change"] is None and body["until"] == "2020-01-01"
    runs = at(client, BLUE_SPOT)["history"]
    assert [(run["faction"], run["change_id"]) for run in runs][-1] == ("red", last.pk)
    assert runs[0]["faction"] is None and runs[0]["start"] == "2019-12-01"


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"lon": 20, "lat": 11}, 404, "outside Toyland"),
        ({"lon": 11, "lat": 91}, 400, "lat"),
        ({"lon": "east", "lat": 11}, 400, "lon"),
        ({"lon": 11, "lat": 11, "date": "2019-12-31"}, 404, "before 2020-01-01"),
        ({"lon": 11, "lat": 11, "theatre": "atlantis"}, 404, "Unknown theatre"),
    ],
)
def test_bad_questions_get_a_clear_answer(client, world, params, status, message):
    response = client.get(URL, {"theatre": "toyland", **params})
    assert response.status_code == status and message in response.json()["error"]


def test_the_answer_agrees_with_the_built_layers_at_every_date(client, world):
    """The promise of the module: the changes, read at a point, say what the layers show there."""
    world.random_changes(seed=7, count=11, every_days=5, smallest=0.2)
    world.build()
    rng = random.Random(7)
    dates = [START + dt.timedelta(days=day) for day in range(0, 60, 3)]
    layers = {date: client.get("/api/v1/control/", {"theatre": "toyland", "date": date}).json() for date in dates}
    checked = 0
    while checked < 40:
        spot = Point(rng.uniform(10, 14), rng.uniform(10, 13))
        runs = at(client, (spot.x, spot.y))["history"]
        for date in dates:
            holders = [feature["properties"]["faction"] for feature in layers[date]["features"]
                       if shape(feature["geometry"]).covers(spot)]  # fmt: skip
            edges = [
                shapely.distance(shape(feature["geometry"]).boundary, spot) for feature in layers[date]["features"]
            ]
            if min(edges) < 1e-5:
                continue  # on a border, within the build's grid
            iso = date.isoformat()
            run = next(run for run in reversed(runs) if run["start"] <= iso)
            assert holders == [run["faction"]], (spot.wkt, iso)
        checked += 1
