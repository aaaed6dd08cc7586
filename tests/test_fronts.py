"""Front lines from the partition (conflictmap.lib.fronts): pure, no database."""

import datetime as dt
import random

import pytest
import shapely
from shapely.geometry import LineString, Polygon, box

from conflictmap.lib.fronts import by_sides, fronts, outline, shared_edge, side_of
from conflictmap.lib.geodesy import length_km
from conflictmap.lib.geometry import GRID, snap
from conflictmap.lib.partition import NO_DATA, Change, derive_intervals, initial_territory

THEATRE = Polygon([(0, 0), (4, 0), (4, 3), (2, 4), (0, 3)])
DAY = dt.date(2020, 1, 1)
SIDES = {"red": "red", "blue": "blue", "pink": "red", "grey": None, NO_DATA: None}


def partition(*changes: tuple[str, Polygon]):
    [interval] = derive_intervals(THEATRE, initial_territory(THEATRE), [Change(DAY, c, a) for c, a in changes])
    return interval.territory


def test_two_halves_meet_along_their_common_side_and_not_along_the_theatre_border():
    territory = partition(("red", box(-1, -1, 5, 5)), ("blue", box(2, -1, 5, 5)))
    front = fronts(territory, SIDES)
    assert list(front) == [("blue", "red")]
    assert front["blue", "red"].equals(LineString([(2, 0), (2, 4)]))


def test_areas_touching_at_a_corner_have_no_front():
    assert shared_edge(outline(box(0, 0, 1, 1)), outline(box(1, 1, 2, 2))).is_empty


def test_an_edge_is_found_when_one_side_has_vertices_the_other_lacks():
    left = snap(Polygon([(0, 0), (1, 0), (1, 0.5), (1, 1), (0, 1)]))  # (1, 0.5) only here
    edge = shared_edge(outline(left), outline(snap(box(1, 0, 2, 1))))
    assert edge.equals(LineString([(1, 0), (1, 1)]))


def test_allies_no_data_and_statuses_have_no_front():
    territory = partition(
        ("red", box(-1, -1, 1, 5)), ("pink", box(1, -1, 2, 5)), ("blue", box(2, -1, 3, 1)), ("grey", box(2, 1, 3, 5))
    )  # east of x=3 is still no data
    front = fronts(territory, SIDES)
    assert list(front) == [("blue", "red")]  # pink (red's ally) meets blue; nothing else is a front
    assert front["blue", "red"].equals(LineString([(2, 0), (2, 1)]))


def test_a_coalition_of_coalitions_fights_as_its_top_coalition():
    parents = {"saa": "pro-government", "pro-government": "axis", "sdf": None}
    assert side_of("saa", parents, set()) == "axis"
    assert side_of("sdf", parents, set()) == "sdf"
    assert side_of("contested", parents, {"contested"}) is None
    assert side_of(NO_DATA, parents, set()) is None


def test_members_fronts_merge_into_their_sides_pair():
    edges = [("red", "blue", LineString([(0, 0), (0, 1)])), ("pink", "blue", LineString([(0, 1), (0, 2)]))]
    merged = by_sides(edges, SIDES)
    assert merged["blue", "red"].equals(LineString([(0, 0), (0, 2)]))


def test_a_degree_of_longitude_front_on_the_equator_is_111_km():
    assert length_km(LineString([(0, 0), (1, 0)])) == pytest.approx(111.32, rel=1e-3)
    assert length_km(LineString([(36, 35), (36, 36)])) == pytest.approx(110.95, rel=1e-3)


@pytest.mark.parametrize("seed", range(12))
def test_fronts_are_the_shared_boundaries_of_opposing_areas_no_more_no_less(seed):
    """Against the naive overlay of whole boundaries, on partitions of random changes."""
    rng = random.Random(seed)
    changes = [("red", box(-1, -1, 5, 5))]
    for _ in range(25):
        west, south = rng.uniform(-0.5, 3.5), rng.uniform(-0.5, 3.5)
        area = box(west, south, west + rng.uniform(0.01, 1.5), south + rng.uniform(0.01, 1.5))
        if rng.random() < 0.3:
            area = shapely.affinity.rotate(area, rng.uniform(0, 90))
        changes.append((rng.choice(["red", "blue", "pink", "grey"]), area))
    [*_, last] = derive_intervals(THEATRE, initial_territory(THEATRE), [Change(DAY, c, a) for c, a in changes])
    territory = last.territory
    found = fronts(territory, SIDES)
    expected: dict = {}
    for a in territory:
        for b in territory:
            if str(a) < str(b) and SIDES.get(a) and SIDES.get(b) and SIDES[a] != SIDES[b]:
                naive = shapely.intersection(territory[a].boundary, territory[b].boundary, grid_size=GRID)
                lines = [part for part in shapely.get_parts(naive) if part.geom_type == "LineString"]
                key = tuple(sorted([SIDES[a], SIDES[b]]))
                expected[key] = shapely.union_all([expected.get(key, LineString()), *lines])
    expected = {key: lines for key, lines in expected.items() if not lines.is_empty}
    assert set(found) == set(expected)
    for key, lines in found.items():
        assert lines.symmetric_difference(expected[key]).length < GRID, key
