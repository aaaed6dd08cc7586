"""GET /api/v1/control/fronts/: front lines against the partition they come from, stored by the
build per pair of holdings (territory.build.fronts), and rebuilt only where an edit changes them."""

import datetime as dt

import mapbox_vector_tile
import pytest
import shapely
from shapely.geometry import LineString, shape

from conflictmap.atlas.models import Faction
from conflictmap.lib.geometry import GRID
from conflictmap.territory.build.fronts import MISSING_SQL
from conflictmap.territory.models import Confidence, Front, Holding, LayerSnapshot
from tests.conftest import START, rect

FRONTS = "/api/v1/control/fronts/"


def fronts(client, date, status=200):
    response = client.get(FRONTS, {"theatre": "toyland", "date": date})
    assert response.status_code == status, response.content
    return response.json()


def areas(client, date):
    layer = client.get("/api/v1/control/", {"theatre": "toyland", "date": date}).json()
    return {feature["properties"]["faction"]: shape(feature["geometry"]) for feature in layer["features"]}


def test_two_halves_have_one_front_along_their_border_and_its_length(client, world):
    body = fronts(client, "2020-01-05")
    assert body["pairs"] == [{"sides": ["blue", "red"], "names": ["Blue", "Red"], "km": pytest.approx(332, abs=2)}]
    [feature] = body["features"]
    assert shape(feature["geometry"]).equals(LineString([(12, 10), (12, 13)]))  # not the theatre's border
    assert feature["properties"]["confidence"] == "confirmed"
    assert feature["properties"]["colors"] == ["#1f77b4", "#d62728"]


def test_every_line_lies_on_the_shared_boundary_of_two_areas_of_different_sides(client, world):
    world.random_changes(seed=7, count=30, every_days=2, smallest=0.05)
    world.build()
    for day in ("2020-01-01", "2020-01-21", "2020-02-10", "2020-03-30"):
        held = areas(client, day)
        body = fronts(client, day)
        assert body["features"], day
        for feature in body["features"]:
            a, b = feature["properties"]["sides"]
            assert a != b
            line = shape(feature["geometry"])
            shared = shapely.intersection(held[a].boundary, held[b].boundary).buffer(2 * GRID)
            assert line.difference(shared).length < GRID, (day, a, b)
        # and every stretch where two sides meet is in it
        for a in held:
            for b in held:
                if a and b and a < b:
                    meet = shapely.intersection(held[a].boundary, held[b].boundary, grid_size=GRID)
                    lines = shapely.union_all([p for p in shapely.get_parts(meet) if p.geom_type == "LineString"])
                    drawn = shapely.union_all([shape(f["geometry"]) for f in body["features"]
                                               if set(f["properties"]["sides"]) == {a, b}])  # fmt: skip
                    assert lines.difference(drawn.buffer(2 * GRID)).length < 1e-4, (day, a, b)


def test_allies_share_no_front_and_fight_as_their_coalition(client, world):
    alliance = Faction.objects.create(slug="alliance", name="Alliance", short_name="ALL", color="#222222",
                                      kind=Faction.Kind.COALITION)  # fmt: skip
    Faction.objects.filter(pk__in=[world.red.pk, world.green.pk]).update(parent=alliance)
    world.change(START + dt.timedelta(days=3), world.green, rect(10, 10, 11, 13))  # a strip within red's half
    world.build()
    body = fronts(client, "2020-01-05")
    assert [pair["sides"] for pair in body["pairs"]] == [["alliance", "blue"]]
    [feature] = body["features"]
    assert shape(feature["geometry"]).equals(LineString([(12, 10), (12, 13)]))  # red | green at x=11: no front


def test_statuses_and_no_data_have_no_front(client, world):
    contested = Faction.objects.create(slug="contested", name="Contested", short_name="CON", color="#999999",
                                       kind=Faction.Kind.STATUS)  # fmt: skip
    world.change(START + dt.timedelta(days=3), contested, rect(11, 10, 13, 13))  # all along the border
    world.build()
    assert fronts(client, "2020-01-05")["features"] == []


def test_a_stretch_along_unsure_land_carries_its_level(client, world):
    world.change(START + dt.timedelta(days=3), world.blue, rect(11, 10, 12, 11), confidence=Confidence.CONTESTED)
    world.build()
    body = fronts(client, "2020-01-05")
    by_level = {f["properties"]["confidence"]: shape(f["geometry"]) for f in body["features"]}
    assert set(by_level) == {"confirmed", "contested"}
    contested = LineString([(11, 10), (11, 11), (12, 11)])
    assert by_level["contested"].symmetric_difference(contested).length < 1e-4
    assert by_level["confirmed"].symmetric_difference(LineString([(12, 11), (12, 13)])).length < 1e-4
    assert body["pairs"][0]["km"] == pytest.approx(sum(f["properties"]["km"] for f in body["features"]), abs=0.2)


def missing_pairs(snapshots):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(MISSING_SQL, [list(snapshots.values_list("pk", flat=True))])
        return cursor.fetchall()


def test_pairs_are_stored_once_and_an_edit_adds_only_its_new_holdings_pairs(client, world):
    world.random_changes(seed=3, count=20, every_days=3, smallest=0.1)
    world.build()
    current = LayerSnapshot.objects.filter(build__theatre=world.theatre, build__is_current=True)
    assert missing_pairs(current.filter(valid_to__isnull=True)) == [], "the latest date's, at build time"
    assert missing_pairs(current), "the others' when first asked for"
    for snapshot in current:
        fronts(client, snapshot.valid_from)
    assert missing_pairs(current) == []
    holdings = set(Holding.objects.values_list("pk", flat=True))
    stored = set(Front.objects.values_list("pk", flat=True))
    world.change(START + dt.timedelta(days=40), world.green, rect(10.2, 12.2, 10.4, 12.4))  # a small edit
    world.build()
    current = LayerSnapshot.objects.filter(build__theatre=world.theatre, build__is_current=True)
    for snapshot in current:
        fronts(client, snapshot.valid_from)
    new = Front.objects.exclude(pk__in=stored)
    assert new.exists()
    assert not new.filter(one__in=holdings, other__in=holdings).exists(), "a pair of old holdings is not made again"
    assert len(new) < len(stored) / 2


@pytest.mark.parametrize(
    ("params", "status"),
    [
        ({"theatre": "toyland"}, 400),
        ({"theatre": "toyland", "date": "2020-13-01"}, 400),
        ({"theatre": "toyland", "date": "2019-12-31"}, 404),
        ({"theatre": "atlantis", "date": "2020-01-05"}, 404),
    ],
)
def test_bad_input_is_a_clear_4xx(client, world, params, status):
    response = client.get(FRONTS, params)
    assert response.status_code == status
    assert response.json()["error"]


def test_the_vector_tiles_carry_the_fronts_of_opposing_sides_only(client, world, settings):
    settings.TILE_CACHE_SECONDS = 0
    alliance = Faction.objects.create(slug="alliance", name="Alliance", short_name="ALL", color="#222222",
                                      kind=Faction.Kind.COALITION)  # fmt: skip
    Faction.objects.filter(pk__in=[world.red.pk, world.green.pk]).update(parent=alliance)
    world.change(START + dt.timedelta(days=3), world.green, rect(10, 10, 11, 13))
    world.build()
    decoded = mapbox_vector_tile.decode(client.get("/tiles/toyland/2020-01-05/4/8/7.mvt").content)
    [line] = decoded["fronts"]["features"]
    assert line["properties"]["sides"] in ("alliance|blue", "blue|alliance")
    xs = {round(x) for x, _ in line["geometry"]["coordinates"]}
    assert len(xs) == 1, "one straight line north to south: x=12 (red | green at x=11 is no front)"


def test_a_cached_tile_follows_a_faction_joining_a_coalition(
    client, world, settings, django_capture_on_commit_callbacks
):
    settings.TILE_CACHE_SECONDS = 60
    tile = "/tiles/toyland/2020-01-05/4/8/7.mvt"
    first = client.get(tile)
    assert len(mapbox_vector_tile.decode(first.content)["fronts"]["features"]) == 1  # red | blue
    alliance = Faction.objects.create(slug="alliance", name="Alliance", short_name="ALL", color="#222222",
                                      kind=Faction.Kind.COALITION)  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        for faction in (world.red, world.blue):
            faction.parent = alliance
            faction.save()  # as the admin saves it
    again = client.get(tile)
    assert again["ETag"] != first["ETag"], "a browser's copy is another tile now"
    assert "fronts" not in mapbox_vector_tile.decode(again.content), "allies share no front"
