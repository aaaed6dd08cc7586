"""The pure partition derivation (conflictmap.lib.partition): no database involved."""

import datetime as dt
import random

import pytest
from shapely.geometry import Point, Polygon, box

from conflictmap.lib.partition import (
    NO_DATA,
    Change,
    apply_change,
    derive_intervals,
    initial_territory,
    partition_errors,
    tiles,
)

THEATRE = Polygon([(0, 0), (4, 0), (4, 3), (2, 4), (0, 3)])  # a house shape, not a box
D1, D2, D3 = dt.date(2020, 1, 1), dt.date(2020, 1, 15), dt.date(2020, 2, 1)


def baseline() -> list[Change]:
    return [
        Change(D1, "red", box(-1, -1, 5, 5)),  # overshoots: clipping makes the border exact
        Change(D1, "blue", box(2, -1, 5, 5)),
    ]


def assert_tiles(territory):
    overlaps, gaps = partition_errors(THEATRE, territory)
    # Slivers narrower than the snapping grid (1e-6°, about 10 cm) are the stated tolerance.
    assert tiles(THEATRE, territory), f"overlaps {overlaps.area} deg², gaps {gaps.area} deg²"


def test_the_baseline_tiles_the_theatre():
    [interval] = derive_intervals(THEATRE, initial_territory(THEATRE), baseline())
    assert set(interval.territory) == {"red", "blue"}
    assert interval.territory["red"].area == pytest.approx(7.0)
    assert interval.territory["blue"].area == pytest.approx(7.0)
    assert_tiles(interval.territory)


def test_territory_no_change_covers_is_no_data():
    [interval] = derive_intervals(THEATRE, initial_territory(THEATRE), [Change(D1, "red", box(0, 0, 1, 1))])
    assert interval.territory[NO_DATA].area == pytest.approx(THEATRE.area - 1)
    assert_tiles(interval.territory)


def test_later_changes_on_the_same_date_win():
    changes = [Change(D1, "red", box(0, 0, 2, 2)), Change(D1, "blue", box(1, 0, 2, 2))]
    [interval] = derive_intervals(THEATRE, initial_territory(THEATRE), changes)
    assert interval.territory["red"].area == pytest.approx(2.0)
    assert interval.territory["blue"].area == pytest.approx(2.0)


def test_intervals_are_half_open_and_follow_each_other():
    changes = [*baseline(), Change(D2, "blue", box(1, 0, 2, 1)), Change(D3, "red", box(2, 0, 3, 1))]
    intervals = derive_intervals(THEATRE, initial_territory(THEATRE), changes)
    assert [(i.valid_from, i.valid_to) for i in intervals] == [(D1, D2), (D2, D3), (D3, None)]


def test_changes_are_sorted_by_date_whatever_their_input_order():
    changes = [Change(D2, "blue", box(1, 0, 2, 1)), *baseline()]
    intervals = derive_intervals(THEATRE, initial_territory(THEATRE), changes)
    assert [i.valid_from for i in intervals] == [D1, D2]
    assert intervals[1].territory["blue"].area == pytest.approx(8.0)


def test_a_change_reports_what_each_side_gained_and_lost():
    changes = [*baseline(), Change(D2, "blue", box(1, 0, 2, 1))]
    _, after = derive_intervals(THEATRE, initial_territory(THEATRE), changes)
    assert after.gained["blue"].equals(box(1, 0, 2, 1))
    assert after.lost["red"].equals(box(1, 0, 2, 1))
    assert "red" not in after.gained and "blue" not in after.lost


def test_an_area_outside_the_theatre_changes_nothing():
    [first] = derive_intervals(THEATRE, initial_territory(THEATRE), baseline())
    after = apply_change(first.territory, THEATRE, Change(D2, "green", box(10, 10, 11, 11)))
    assert after == first.territory


def test_an_area_is_clipped_to_the_theatre():
    [first] = derive_intervals(THEATRE, initial_territory(THEATRE), baseline())
    after = apply_change(first.territory, THEATRE, Change(D2, "green", box(3, 2, 6, 6)))
    assert after["green"].within(THEATRE.buffer(1e-9))
    assert_tiles(after)


def test_an_invalid_bow_tie_area_is_repaired_not_dropped():
    bow_tie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    [interval] = derive_intervals(THEATRE, initial_territory(THEATRE), [*baseline(), Change(D1, "green", bow_tie)])
    assert interval.territory["green"].area == pytest.approx(2.0)
    assert_tiles(interval.territory)


def test_starting_from_a_later_partition_gives_the_same_result_as_from_scratch():
    changes = [*baseline(), Change(D2, "blue", box(1, 0, 2, 1)), Change(D3, "green", Point(1, 1).buffer(0.7))]
    full = derive_intervals(THEATRE, initial_territory(THEATRE), changes)
    resumed = derive_intervals(THEATRE, full[0].territory, [c for c in changes if c.date >= D2])
    for a, b in zip(full[1:], resumed, strict=True):
        assert (a.valid_from, a.valid_to) == (b.valid_from, b.valid_to)
        assert set(a.territory) == set(b.territory)
        assert all(a.territory[k].equals(b.territory[k]) for k in a.territory)


@pytest.mark.parametrize("seed", range(5))
def test_random_offensives_keep_every_interval_a_partition(seed):
    rng = random.Random(seed)
    changes = baseline()
    for day in range(1, 40):
        x, y = rng.uniform(-0.5, 4), rng.uniform(-0.5, 4)
        blob = Point(x, y).buffer(rng.uniform(0.05, 1.2), quad_segs=rng.randint(2, 8))
        changes.append(Change(D1 + dt.timedelta(days=day), rng.choice(["red", "blue", "green", "grey"]), blob))
    intervals = derive_intervals(THEATRE, initial_territory(THEATRE), changes)
    assert len(intervals) == 40
    for interval in intervals:
        assert all(piece.is_valid and not piece.is_empty for piece in interval.territory.values())
        assert_tiles(interval.territory)


def test_a_hole_or_an_overlap_wider_than_the_grid_is_caught():
    [interval] = derive_intervals(THEATRE, initial_territory(THEATRE), baseline())
    with_hole = {**interval.territory, "red": interval.territory["red"].difference(box(1, 1, 1.005, 1.005))}
    assert not tiles(THEATRE, with_hole)  # a hole about 500 m across
    overlapping = {**interval.territory, "red": interval.territory["red"].union(box(2, 1, 2.005, 2))}
    assert not tiles(THEATRE, overlapping)
    assert tiles(THEATRE, interval.territory)
