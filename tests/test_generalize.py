"""The country-view generalisation keeps a partition a partition: no gaps, no overlaps."""

import random

import shapely
from shapely.geometry import MultiPolygon, Point, box

from conflictmap.lib.generalize import SMALL_PIXELS_ACROSS, decimals_for, overview, pixel_of
from conflictmap.lib.partition import Change, derive_intervals, initial_territory, partition_errors

THEATRE = box(36, 32, 42, 37)  # about Syria's extent: a pixel of the overview is about 0.008°
START = 0  # dates only need to sort


def war(seed: int, days: int = 60):
    """A partition after many small, wiggly changes: hundreds of polygons, thousands of vertices."""
    rng = random.Random(seed)
    halves = [Change(START, "west", box(36, 32, 39, 37)), Change(START, "east", box(39, 32, 42, 37))]
    changes = []
    for day in range(1, days):
        centre = Point(rng.uniform(36, 42), rng.uniform(32, 37))
        radius = rng.choice([0.005, 0.01, 0.05, 0.2])  # from about 1 km across to 40 km
        changes.append(Change(START + day, rng.choice(["west", "east", "north"]), centre.buffer(radius, 16)))
    return derive_intervals(THEATRE, initial_territory(THEATRE), halves + changes)[-1].territory


def vertices(shapes) -> int:
    return int(sum(shapely.get_num_coordinates(shape) for shape in shapes))


def test_the_overview_tiles_the_theatre_with_far_fewer_vertices():
    territory = war(seed=1)
    shapes = list(territory.values())
    simplified = overview(shapes)
    assert len(simplified) == len(shapes)
    assert shapely.coverage_is_valid(simplified)  # neighbours share every edge exactly
    overlaps, gaps = partition_errors(THEATRE, dict(zip(territory, simplified, strict=True)))
    assert overlaps.area < 1e-9
    # The outline itself is simplified too: only that may leave the theatre's edge uncovered.
    assert gaps.area < 0.002 * THEATRE.area
    assert vertices(simplified) < vertices(shapes) / 3


def test_polygons_too_small_to_see_merge_into_their_surroundings():
    west = box(36, 32, 39, 37)
    dot = Point(37.5, 34.5).buffer(0.004, 16)  # under a kilometre across: smaller than a pixel
    big = Point(40.5, 34.5).buffer(0.3, 16)
    territory = {"west": west.difference(dot), "east": box(39, 32, 42, 37).difference(big), "dots": dot, "big": big}
    simplified = dict(zip(territory, overview(list(territory.values())), strict=True))
    assert simplified["dots"].is_empty
    assert simplified["west"].covers(Point(37.5, 34.5))  # the hole it left is filled
    assert not simplified["big"].is_empty
    assert abs(simplified["big"].area - big.area) < 0.05 * big.area


def test_each_controller_keeps_its_share_of_the_theatre():
    territory = war(seed=2)
    for before, after in zip(territory.values(), overview(list(territory.values())), strict=True):
        assert abs(after.area - before.area) < 0.01 * THEATRE.area


def test_an_empty_partition_gives_empty_shapes():
    assert overview([MultiPolygon(), MultiPolygon()]) == [MultiPolygon(), MultiPolygon()]


def test_coordinates_are_rounded_to_within_a_tenth_of_the_overview_pixel_whatever_the_theatre_size():
    for theatre in (THEATRE, box(34.2, 31.2, 34.6, 31.6), box(-20, -40, 60, 40)):  # Syria, Gaza, Africa
        pixel, _ = pixel_of([theatre])
        step = 10.0 ** -decimals_for([theatre])
        assert pixel / 50 < step <= pixel / 5, "a step of a fifth of a pixel at most, not needlessly fine"
        small_pixel, _ = pixel_of([theatre], SMALL_PIXELS_ACROSS)
        small_step = 10.0 ** -decimals_for([theatre], SMALL_PIXELS_ACROSS, 1)
        assert small_pixel / 10 < small_step <= small_pixel, "the small view's: half a pixel at most"
