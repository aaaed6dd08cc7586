"""Confidence is data: a change records how sure the record is, the pieces' history carries it
beside the controllers, the place API says it, and editing it alone rebuilds the layers."""

import datetime as dt

from conflictmap.territory.models import Confidence, LayerState
from tests.conftest import START, rect

SPOT = (10.5, 10.5)  # lon, lat: in the square the tests change


def history(client):
    timeline = client.get("/api/v1/timeline/", {"theatre": "toyland"}).json()
    return client.get(timeline["history_url"]).json()


def test_the_history_carries_each_pieces_confidence_and_the_km2_at_each_level(client, world):
    square = rect(10, 10, 11, 11)
    world.change(START + dt.timedelta(days=10), world.green, square, confidence=Confidence.CLAIMED)
    world.change(START + dt.timedelta(days=20), world.green, square)  # the same side, now confirmed
    world.build()
    body = history(client)
    assert body["confidences"] == ["confirmed", "assessed", "claimed", "contested"]
    first, second = (
        next(step for step in body["steps"] if step["date"] == day) for day in ("2020-01-11", "2020-01-21")
    )
    claimed = dict(zip(first["uncertain"][0::2], first["uncertain"][1::2], strict=True))
    assert set(claimed) == {2} and 11_000 < claimed[2] < 13_000  # one degree square at 10° N, about 12,100 km²
    assert first["confidence"] and set(first["confidence"][1::2]) == {2}
    assert set(second["confidence"][1::2]) == {0} and second["uncertain"] == []
    assert "confidence" not in body["steps"][0], "a step that changes no confidence says nothing of it"


def test_the_place_api_says_how_sure_and_since_when(client, world):
    square = rect(10, 10, 11, 11)
    world.change(START + dt.timedelta(days=10), world.green, square, confidence=Confidence.CONTESTED)
    world.change(START + dt.timedelta(days=20), world.green, square)
    at = {"theatre": "toyland", "lon": SPOT[0], "lat": SPOT[1]}
    body = client.get("/api/v1/control/at/", {**at, "date": "2020-01-15"}).json()
    assert body["confidence"] == {"level": "contested", "label": "Contested (fighting ongoing)", "since": "2020-01-11"}
    assert body["since"] == "2020-01-11" and body["change"]["confidence"] == "contested"
    later = client.get("/api/v1/control/at/", {**at, "date": "2020-02-01"}).json()
    assert later["confidence"]["level"] == "confirmed" and later["since"] == "2020-01-11", "the same run goes on"
    assert later["history"][-1]["levels"] == [{"start": "2020-01-11", "level": "contested"},
                                              {"start": "2020-01-21", "level": "confirmed"}]  # fmt: skip


def test_editing_the_confidence_alone_makes_the_layers_stale(world):
    change = world.change(START + dt.timedelta(days=10), world.green, rect(10, 10, 11, 11))
    world.build()
    state = LayerState.objects.get(theatre=world.theatre)
    assert state.dirty_since is None
    change.confidence = Confidence.ASSESSED
    change.save()
    state.refresh_from_db()
    assert state.dirty_since == change.date
