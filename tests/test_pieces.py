"""Pieces (conflictmap.lib.pieces): the smallest parts every change area is made of, and the
controller of each piece through time, checked against the partition derivation."""

import datetime as dt
import random

import pytest
import shapely
from shapely.geometry import Point, Polygon, box

from conflictmap.lib.geometry import GRID, clip, snap
from conflictmap.lib.partition import Change, derive_intervals, initial_territory
from conflictmap.lib.pieces import arrange, history

THEATRE = Polygon([(0, 0), (4, 0), (4, 3), (2, 4), (0, 3)])
D1 = dt.date(2020, 1, 1)


def random_war(seed, days=30):
    rng = random.Random(seed)
    changes = [Change(D1, "red", box(-1, -1, 5, 5)), Change(D1, "blue", box(2, -1, 5, 5))]
    for day in range(1, days):
        for _ in range(rng.randint(1, 3)):
            blob = Point(rng.uniform(-0.5, 4), rng.uniform(-0.5, 4)).buffer(rng.uniform(0.05, 1), quad_segs=3)
            changes.append(Change(D1 + dt.timedelta(days=day), rng.choice(["red", "blue", "green"]), blob))
    return changes


def thin(geometry) -> bool:
    """Nothing wider than the snapping grid (slivers of rounding, not real territory)."""
    return geometry.buffer(-GRID).is_empty


@pytest.mark.parametrize("seed", range(3))
def test_pieces_tile_the_theatre_and_make_up_every_area(seed):
    changes = random_war(seed)
    arrangement = arrange(THEATRE, [change.area for change in changes])
    pieces = arrangement.pieces
    assert thin(shapely.union_all(pieces).symmetric_difference(snap(THEATRE)))
    # Disjoint: their areas add up to the theatre's, up to grid-wide slivers along their edges.
    assert abs(sum(piece.area for piece in pieces) - THEATRE.area) < GRID * sum(piece.length for piece in pieces)
    for change, covered in zip(changes, arrangement.covers, strict=True):
        made_of = shapely.union_all([pieces[i] for i in covered])
        assert thin(made_of.symmetric_difference(clip(change.area, THEATRE)))


@pytest.mark.parametrize("seed", range(3))
def test_replaying_the_history_gives_the_same_partition_as_the_derivation(seed):
    changes = random_war(seed)
    arrangement = arrange(THEATRE, [change.area for change in changes])
    initial, steps = history(arrangement, [(change.date, change.controller) for change in changes])
    intervals = derive_intervals(THEATRE, initial_territory(THEATRE), changes)
    assert [step.date for step in steps] == [interval.valid_from for interval in intervals]
    state = list(initial)
    for step, interval in zip(steps, intervals, strict=True):
        for piece, controller in step.moves:
            state[piece] = controller
        for index, piece in enumerate(arrangement.pieces):
            if thin(piece):
                continue  # a sliver of snapping, narrower than the grid: no territory to speak of
            inside = piece.point_on_surface()
            holder = min(interval.territory, key=lambda c: interval.territory[c].distance(inside))
            assert state[index] == holder, (step.date, index)


def test_a_day_reports_only_pieces_that_really_changed_hands():
    changes = [Change(D1, "red", THEATRE), Change(D1 + dt.timedelta(days=1), "red", box(0, 0, 1, 1)),
               Change(D1 + dt.timedelta(days=2), "blue", box(0, 0, 1, 1)),
               Change(D1 + dt.timedelta(days=2), "red", box(0, 0, 1, 1))]  # fmt: skip
    arrangement = arrange(THEATRE, [change.area for change in changes])
    _, steps = history(arrangement, [(change.date, change.controller) for change in changes])
    assert [len(step.moves) for step in steps] == [len(arrangement.pieces), 0, 0]
