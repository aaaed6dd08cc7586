"""Comparing two dates: the piece states (lib.compare) against a plain replay, and GET
/api/v1/compare/ against the built layers of both dates, with its events count and bad input."""

import datetime as dt
import random

import numpy as np
import pytest
import shapely
from shapely.geometry import shape

from conflictmap.events import daily
from conflictmap.events.models import Event
from conflictmap.lib.compare import PieceStates, compare
from conflictmap.lib.geometry import polygonal
from tests.conftest import START, rect

URL = "/api/v1/compare/"


@pytest.mark.parametrize("checkpoint", [7, 100])  # states from checkpoints, and from the start alone
def test_the_state_at_a_date_is_the_last_move_of_each_piece_up_to_it(monkeypatch, checkpoint):
    monkeypatch.setattr("conflictmap.lib.compare.CHECKPOINT_STEPS", checkpoint)
    rng = random.Random(3)
    pieces, controllers = 40, 4
    initial = [rng.randrange(controllers) for _ in range(pieces)]
    days = sorted(rng.sample(range(1, 200), 30))

    def moves():  # as lib.pieces makes them: a piece moves at most once a day
        return [
            n for piece in rng.sample(range(pieces), rng.randrange(0, 6)) for n in (piece, rng.randrange(controllers))
        ]

    steps = [{"date": (START + dt.timedelta(days=day)).isoformat(), "moves": moves()} for day in days]
    states = PieceStates.of({"initial": initial, "steps": steps})
    for day in range(0, 201, 7):
        date = START + dt.timedelta(days=day)
        replayed = list(initial)
        for step in steps:
            if step["date"] <= date.isoformat():
                for i in range(0, len(step["moves"]), 2):
                    replayed[step["moves"][i]] = step["moves"][i + 1]
        assert states.at(date).tolist() == replayed, date
    km2 = np.array([rng.uniform(1, 10) for _ in range(pieces)])
    first, second = START + dt.timedelta(days=50), START + dt.timedelta(days=150)
    result = compare(states, km2, controllers, first, second)
    assert np.allclose(result.km2_after - result.km2_before, result.gained - result.lost)
    assert np.isclose(result.gained.sum(), result.lost.sum())
    before, after = states.at(first), states.at(second)
    for (was, now), moved in result.moved.items():
        assert was != now and (before[moved] == was).all() and (after[moved] == now).all()
    assert sum(len(moved) for moved in result.moved.values()) == int((before != after).sum())


def layer_of(client, date):
    body = client.get("/api/v1/control/", {"theatre": "toyland", "date": date}).json()
    return {feature["properties"]["faction"]: shape(feature["geometry"]) for feature in body["features"]}


def test_the_answer_agrees_with_the_layers_of_both_dates(client, world):
    """km² on each date are the layers'; each feature that moved is where its holders' areas on the two dates meet."""
    world.random_changes(seed=11, count=9, every_days=4, smallest=0.3)
    world.build()
    first, second = START + dt.timedelta(days=9), START + dt.timedelta(days=33)
    response = client.get(URL, {"theatre": "toyland", "from": first, "to": second, "geometry": "true"})
    assert response.status_code == 200, response.content
    body = response.json()
    before, after = layer_of(client, first), layer_of(client, second)
    areas = {feature["properties"]["faction"]: feature["properties"]["area_km2"] for feature in
             client.get("/api/v1/control/", {"theatre": "toyland", "date": second}).json()["features"]}  # fmt: skip
    rows = {row["faction"]: row for row in body["controllers"]}
    for faction, row in rows.items():
        assert row["km2_to"] == pytest.approx(areas.get(faction, 0), abs=0.2), faction
        assert row["net_km2"] == pytest.approx(row["gained_km2"] - row["lost_km2"], abs=0.2)
    assert body["moved"], "something changed hands between the two dates"
    drawn = client.get(client.get("/api/v1/timeline/", {"theatre": "toyland"}).json()["pieces_url"]).json()["features"]
    for pair in body["moved"]:
        was, now = pair["from"], pair["to"]
        expected = polygonal(shapely.intersection(before[was], after[now]))  # not the lines where they touch
        # Within the rounding of coordinates (to a tenth of the country view's pixel: 0.001° here).
        assert shapely.hausdorff_distance(shape(pair["geometry"]), expected) <= 1e-3, (was, now)
        assert pair["km2"] > 0
        # The drawn pieces it names make the same land, as far as the country view shows it.
        pieces = shapely.union_all([shape(drawn[piece]["geometry"]) for piece in pair["pieces"]])
        assert shapely.hausdorff_distance(pieces, expected) <= 0.02, (was, now)
    assert body["change_dates"] == sum(first < START + dt.timedelta(days=day * 4) <= second for day in range(1, 10))


def test_events_are_counted_after_the_first_date_up_to_the_second(client, world):
    for day in (3, 5, 5, 8, 12):
        Event.objects.create(theatre=world.theatre, date=START + dt.timedelta(days=day), title=f"e{day}",
                             type="clash", status="published")  # fmt: skip
    Event.objects.create(theatre=world.theatre, date=START + dt.timedelta(days=6), title="draft", type="clash")
    body = client.get(URL, {"theatre": "toyland", "from": START + dt.timedelta(days=3),
                            "to": START + dt.timedelta(days=8)}).json()  # fmt: skip
    assert body["events"] == 3  # the 5th twice and the 8th: not the 3rd itself, nor the draft


def test_kept_daily_totals_count_the_same_and_follow_a_new_event(world, settings, django_capture_on_commit_callbacks):
    settings.RESPONSE_CACHE_SECONDS = 60
    first, last = START + dt.timedelta(days=3), START + dt.timedelta(days=8)
    for day in (3, 5, 5, 8, 12):
        Event.objects.create(theatre=world.theatre, date=START + dt.timedelta(days=day), title=f"e{day}",
                             type="clash", status="published")  # fmt: skip
    assert daily.between(world.theatre.pk, first, last) == 3
    with django_capture_on_commit_callbacks(execute=True):  # Event.save bumps the theatre's generation
        Event.objects.create(theatre=world.theatre, date=START + dt.timedelta(days=6), title="e6", type="clash",
                             status="published")  # fmt: skip
    assert daily.between(world.theatre.pk, first, last) == 4
    assert daily.between(world.theatre.pk, START - dt.timedelta(days=9), START + dt.timedelta(days=99)) == 6


def test_a_new_build_answers_anew(client, world, settings):
    settings.RESPONSE_CACHE_SECONDS = 60
    query = {"theatre": "toyland", "from": START, "to": START + dt.timedelta(days=20)}
    assert client.get(URL, query).json()["moved"] == []
    world.change(START + dt.timedelta(days=10), world.green, rect(10.5, 10.5, 11.5, 11.5))
    world.build()
    moved = client.get(URL, query).json()["moved"]
    assert [(pair["from"], pair["to"]) for pair in moved] == [("red", "green")] and "geometry" not in moved[0]


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"from": "2020-02-01", "to": "2020-01-15"}, 400, "Must not be before"),
        ({"from": "2020-02-30", "to": "2020-03-01"}, 400, "from"),
        ({"to": "2020-03-01"}, 400, "required"),
        ({"from": "2019-12-01", "to": "2020-03-01"}, 404, "before 2020-01-01"),
        ({"from": "2020-01-01", "to": "2020-03-01", "theatre": "atlantis"}, 404, "Unknown theatre"),
    ],
)
def test_bad_questions_get_a_clear_answer(client, world, params, status, message):
    response = client.get(URL, {"theatre": "toyland", **params})
    assert response.status_code == status and message in response.json()["error"]
