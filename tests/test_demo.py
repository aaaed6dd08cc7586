"""The Syria demo: its partition, its intervals, and the honesty of its citations."""

import datetime as dt
import json
from pathlib import Path

import pytest
from shapely.geometry import Point, shape

from conflictmap.atlas.models import Source
from conflictmap.demo.loader import load_demo
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.lib.partition import Change, derive_intervals, initial_territory, tiles
from conflictmap.territory.build.rebuild import rebuild

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MANBIJ = Point(37.95495, 36.52815)
HAJIN = Point(40.83138, 34.69508)


def read(path):
    return json.loads((FIXTURES / path).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def intervals():
    """The demo's partitions, derived straight from the fixture files (no database)."""
    syria = shape(read("geo/syria-admin0.geojson")["features"][0]["geometry"])
    changes = [
        Change(dt.date.fromisoformat(f["properties"]["date"]), f["properties"]["controller"], shape(f["geometry"]))
        for f in read("demo/control.geojson")["features"]
    ]
    return syria, derive_intervals(syria, initial_territory(syria), changes)


def holder(territory, point):
    return next(controller for controller, area in territory.items() if area.contains(point))


def test_every_interval_of_the_demo_tiles_syria(intervals):
    syria, result = intervals
    assert len(result) >= 4
    for interval in result:
        assert tiles(syria, interval.territory), interval.valid_from
        assert None not in interval.territory  # the baseline covers all of Syria


def test_the_demo_has_the_factions_and_changes_the_story_needs(intervals):
    _, result = intervals
    baseline = result[0]
    assert baseline.valid_from == dt.date(2018, 12, 1)
    assert {"pro-government", "sdf", "tfsa", "hts", "nlf", "isis", "us-coalition"} <= set(baseline.territory)
    by_date = {interval.valid_from: interval for interval in result}
    assert holder(by_date[dt.date(2018, 12, 1)].territory, HAJIN) == "isis"
    hajin_taken = next(i for i in result if i.valid_from.month == 12 and 10 <= i.valid_from.day <= 20)
    assert holder(hajin_taken.territory, HAJIN) == "sdf"
    manbij = by_date[dt.date(2018, 12, 28)]
    assert manbij.gained["pro-government"].distance(MANBIJ) < 0.3  # within about 30 km of Manbij
    january = [i for i in result if i.valid_from >= dt.date(2019, 1, 1)]
    assert any("hts" in i.gained and "nlf" in i.lost for i in january)


def test_demo_events_cover_the_story_and_every_one_cites_a_source():
    events = read("demo/events.json")
    assert len(events) >= 15
    assert {e["type"] for e in events} >= {"statement", "resignation", "air_strike", "clash", "troop_buildup"}
    for event in events:
        assert event["sources"], event["key"]
        for source in event["sources"]:  # a report found and read: never a citation without an address
            assert source["title"] and source["url"].startswith(("https://", "http://")), event["key"]
    # The Idlib strikes story: located, dated events in the de-escalation zone, December and January.
    idlib = [e for e in events if e["location"] and 35.2 < e["location"][1] < 36.5 and 36.2 < e["location"][0] < 37.2
             and "2018-12-01" <= e["date"] <= "2019-01-31" and e["type"] in ("air_strike", "shelling")]  # fmt: skip
    assert len(idlib) >= 2 and all(e["date_precision"] == "day" for e in idlib)


@pytest.mark.django_db
def test_the_loader_publishes_everything_once_and_is_safe_to_run_twice():
    theatre = load_demo()
    assert load_demo() is None
    assert theatre.changes.filter(status=Status.PUBLISHED).count() == len(read("demo/control.geojson")["features"])
    assert Event.objects.filter(status=Status.PUBLISHED, sources=None).count() == 0
    # Citations shared by several events are stored once.
    assert Source.objects.count() == len({(s.title, s.publisher, s.url) for s in Source.objects.all()})


@pytest.mark.django_db
def test_the_demo_layers_change_on_28_december_and_not_the_day_before(client):
    rebuild(load_demo().pk)

    def layer(date):
        return client.get("/api/v1/control/", {"theatre": "syria", "date": date}).json()

    before, on_the_day = layer("2018-12-27"), layer("2018-12-28")
    assert before["valid_to"] == "2018-12-28" and on_the_day["valid_from"] == "2018-12-28"
    areas = {f["properties"]["faction"]: f["properties"] for f in on_the_day["features"]}
    assert areas["pro-government"]["gained_km2"] == pytest.approx(areas["sdf"]["lost_km2"], abs=0.2)
    assert areas["pro-government"]["gained_km2"] > 300
    total = sum(f["properties"]["area_km2"] for f in on_the_day["features"])
    assert 180_000 < total < 187_000  # Syria without the Golan
