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


def test_the_confidence_api_gives_the_unsure_land_by_side_and_level_on_a_date(client, world):
    """What the map patterns over the country view and the tiles: the claimed square while it is
    claimed, as a geometry covering it, and nothing once it is confirmed."""
    from django.contrib.gis.geos import GEOSGeometry

    square = rect(10, 10, 11, 11)
    world.change(START + dt.timedelta(days=10), world.green, square, confidence=Confidence.CLAIMED)
    world.change(START + dt.timedelta(days=20), world.green, square)
    world.build()
    ask = {"theatre": "toyland"}
    body = client.get("/api/v1/control/confidence/", {**ask, "date": "2020-01-15"}).json()
    assert body["levels"] == ["confirmed", "assessed", "claimed", "contested"]
    (feature,) = body["features"]
    assert feature["properties"]["faction"] == world.green.slug and feature["properties"]["level"] == "claimed"
    drawn = GEOSGeometry(str(feature["geometry"]).replace("'", '"'), srid=4326)
    assert drawn.sym_difference(square).area < 1e-8
    assert 11_000 < body["km2"][2] == feature["properties"]["area_km2"] < 13_000
    before = client.get("/api/v1/control/confidence/", {**ask, "date": "2020-01-10"}).json()
    after = client.get("/api/v1/control/confidence/", {**ask, "date": "2020-01-21"}).json()
    assert before["features"] == after["features"] == [] and after["km2"][2] == 0


def test_the_confidence_api_refuses_bad_parameters_clearly(client, world):
    world.build()
    ask = client.get
    assert ask("/api/v1/control/confidence/", {"theatre": "toyland"}).status_code == 400  # no date
    assert ask("/api/v1/control/confidence/", {"theatre": "toyland", "date": "2020-13-01"}).status_code == 400
    assert ask("/api/v1/control/confidence/", {"theatre": "nowhere", "date": "2020-01-15"}).status_code == 404
    early = ask("/api/v1/control/confidence/", {"theatre": "toyland", "date": "1999-01-01"})
    assert early.status_code == 404 and "before" in early.json()["error"]


def test_the_timeline_says_whether_there_is_anything_to_pattern(client, world):
    """A war recorded as all confirmed asks nothing of /control/confidence/ (the map's and the
    embed's weight), one with an unsure change does."""
    world.change(START + dt.timedelta(days=10), world.green, rect(10, 10, 11, 11))
    world.build()
    assert client.get("/api/v1/timeline/", {"theatre": "toyland"}).json()["unsure"] is False
    world.change(START + dt.timedelta(days=12), world.green, rect(11, 10, 12, 11), confidence=Confidence.CLAIMED)
    world.build()
    assert client.get("/api/v1/timeline/", {"theatre": "toyland"}).json()["unsure"] is True
