"""Phase one of a rebuild (territory/build/head.py): the latest layer, spliced in the stale region."""

import datetime as dt
import random

import pytest
from shapely.geometry import MultiPolygon

from conflictmap.editorial.workflow import Status
from conflictmap.lib.partition import Change, derive_intervals, initial_territory
from conflictmap.territory.areas import to_shapely
from conflictmap.territory.build.head import spliced_latest, write_head
from conflictmap.territory.build.rebuild import plan
from conflictmap.territory.models import ControlChange, LayerBuild, LayerHead
from tests.conftest import START, rect

URL = "/api/v1/control/"


def from_scratch(theatre):
    changes = ControlChange.objects.filter(theatre=theatre, status=Status.PUBLISHED).order_by("date", "id")
    boundary = to_shapely(theatre.boundary)
    intervals = derive_intervals(
        boundary, initial_territory(boundary), [Change(c.date, c.controller_id, to_shapely(c.area)) for c in changes]
    )
    return intervals[-1].territory


def assert_same_partition(a, b):
    assert set(a) == set(b)
    for controller in a:
        # equal up to slivers narrower than the grid (1e-6°): different operation orders
        assert a[controller].symmetric_difference(b[controller]).buffer(-1e-6).is_empty, controller


@pytest.mark.parametrize("seed", range(4))
def test_the_spliced_head_equals_the_latest_layer_derived_from_scratch(world, seed):
    rng = random.Random(seed)
    for _ in range(6):  # a history, built
        west, south = rng.uniform(9.5, 13.5), rng.uniform(9.5, 12.5)
        world.change(START + dt.timedelta(days=rng.randint(1, 90)), rng.choice([world.red, world.blue, world.green]),
                     rect(west, south, west + rng.uniform(0.3, 1.5), south + rng.uniform(0.3, 1.5)))  # fmt: skip
    world.build()
    changes = list(ControlChange.objects.filter(theatre=world.theatre).exclude(date=START))
    for _ in range(3):  # then edits: an addition, a move in time and an unpublish
        west, south = rng.uniform(9.5, 13.5), rng.uniform(9.5, 12.5)
        world.change(START + dt.timedelta(days=rng.randint(1, 90)), world.green, rect(west, south, west + 1, south + 1))
    moved = rng.choice(changes)
    moved.date = START + dt.timedelta(days=rng.randint(1, 90))
    moved.save()
    dropped = rng.choice([c for c in changes if c != moved])
    dropped.status = Status.DRAFT
    dropped.save()
    todo = plan(world.theatre, full=False)
    build = LayerBuild.objects.get(theatre=world.theatre, is_current=True)
    assert_same_partition(spliced_latest(world.theatre, build, todo.since, todo.region)[2], from_scratch(world.theatre))


def factions(client, date):
    return {f["properties"]["faction"]: f["properties"]["area_km2"] for f in client.get(URL, {
        "theatre": "toyland", "date": date}).json()["features"]}  # fmt: skip


def test_readers_get_todays_map_from_the_head_before_the_full_build(client, world):
    world.change(dt.date(2020, 3, 1), world.red, rect(13, 12, 14, 13))
    world.build()
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))  # an edit in the middle
    todo = plan(world.theatre, full=False)
    head = write_head(world.theatre, todo.since, todo.region, todo.version)

    assert head.valid_from == dt.date(2020, 3, 1)
    assert "green" in factions(client, "2020-03-05")  # today's map: right at once
    assert "green" not in factions(client, "2020-02-15")  # the middle: previous build until phase two
    world.build()
    assert "green" in factions(client, "2020-02-15")
    assert not LayerHead.objects.exists()  # the full build has caught up: the head is gone


def test_an_older_head_never_replaces_a_newer_one(world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    todo = plan(world.theatre, full=False)
    assert write_head(world.theatre, todo.since, todo.region, todo.version) is not None
    assert write_head(world.theatre, todo.since, todo.region, todo.version - 1) is None
    assert LayerHead.objects.get().version == todo.version


def test_edits_accumulate_the_stale_region(world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    world.change(dt.date(2020, 2, 3), world.green, rect(13, 12, 14, 13))
    world.theatre.layer_state.refresh_from_db()
    region = to_shapely(world.theatre.layer_state.dirty_region)
    expected = MultiPolygon([rect_shape for rect_shape in to_shapely(rect(10, 10, 11, 11)).geoms] +
                            list(to_shapely(rect(13, 12, 14, 13)).geoms))  # fmt: skip
    assert region.symmetric_difference(expected).area < 1e-9
    world.build()
    world.theatre.layer_state.refresh_from_db()
    assert world.theatre.layer_state.dirty_region is None


def test_the_timeline_names_the_head_date_until_the_build_catches_up(client, world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    todo = plan(world.theatre, full=False)
    write_head(world.theatre, todo.since, todo.region, todo.version)
    timeline = client.get("/api/v1/timeline/", {"theatre": "toyland"}).json()
    assert timeline["head_date"] == "2020-02-01" and "2020-02-01" in timeline["change_dates"]
    assert client.get(timeline["pieces_url"]).status_code == 200  # the previous build's, still served
    world.build()
    timeline = client.get("/api/v1/timeline/", {"theatre": "toyland"}).json()
    assert timeline["head_date"] is None and timeline["change_dates"] == ["2020-01-01", "2020-02-01"]


def test_the_head_comes_with_its_overview(client, world):
    world.change(dt.date(2020, 3, 1), world.red, rect(13, 12, 14, 13))
    world.build()
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    todo = plan(world.theatre, full=False)
    write_head(world.theatre, todo.since, todo.region, todo.version)
    assert LayerHead.objects.get().overview is not None
    overview = client.get(URL, {"theatre": "toyland", "date": "2020-03-05", "detail": "overview"}).json()
    assert {f["properties"]["faction"] for f in overview["features"]} == {"red", "blue", "green"}


def features_by_faction(payload: bytes) -> dict:
    import json

    import shapely

    return {
        feature["properties"]["faction"]: (shapely.from_geojson(json.dumps(feature["geometry"])), feature["properties"])
        for feature in json.loads(payload)["features"]
    }


def test_the_head_is_the_full_builds_latest_layer_with_untouched_controllers_as_stored(world):
    world.change(dt.date(2020, 3, 1), world.red, rect(13, 12, 14, 13))
    world.build()
    latest_payload_before = latest_payload(world)
    before = features_by_faction(latest_payload_before)
    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))  # taken from red; blue untouched
    todo = plan(world.theatre, full=False)
    payload = bytes(write_head(world.theatre, todo.since, todo.region, todo.version).geojson)
    head = features_by_faction(payload)
    world.build()
    full = features_by_faction(latest_payload(world))
    assert set(head) == set(full) == {"red", "blue", "green"}
    for faction, (shape, properties) in head.items():
        assert shape.symmetric_difference(full[faction][0]).buffer(-1e-6).is_empty, faction
        assert properties["area_km2"] == pytest.approx(full[faction][1]["area_km2"], abs=0.1), faction
    # Blue's geometry is the very text PostGIS encoded for the previous build (12, not 12.0).
    assert geometry_texts(payload)["blue"] == geometry_texts(latest_payload_before)["blue"]
    assert not head["red"][0].equals(before["red"][0])


def geometry_texts(payload: bytes) -> dict[str, str]:
    import re

    return {
        faction: text
        for text, faction in re.findall(r'"geometry":(.*?),"properties":{"faction":"(\w+)"', payload.decode())
    }


def latest_payload(world) -> bytes:
    from conflictmap.territory.build.storage import layer_of
    from conflictmap.territory.models import LayerSnapshot

    return layer_of(LayerSnapshot.objects.filter(build__theatre=world.theatre, build__is_current=True,
                                                 valid_to__isnull=True))[1]  # fmt: skip


def test_until_the_head_is_generalised_the_country_view_is_the_full_head(client, world):
    from conflictmap.territory.build.overview import overview_of

    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    todo = plan(world.theatre, full=False)
    write_head(world.theatre, todo.since, todo.region, todo.version)
    LayerHead.objects.update(overview=None)  # as between the head's commit and its overview's
    query = {"theatre": "toyland", "date": "2020-03-05", "detail": "overview"}
    meanwhile = client.get(URL, query)
    head = LayerHead.objects.get()
    assert meanwhile["ETag"] == f'"{head.etag}"' and meanwhile.content == bytes(head.geojson)  # right, if heavier
    assert "no-cache" in meanwhile["Cache-Control"]  # so that no CDN keeps the heavier bytes
    overview_of(LayerHead.objects.all())  # the worker's next step
    generalised = client.get(URL, query)
    assert generalised["ETag"] == f'"{head.etag}-overview"' and generalised.json()["detail"] == "overview"
    assert "max-age" in generalised["Cache-Control"] and "no-cache" not in generalised["Cache-Control"]
