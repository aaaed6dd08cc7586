"""Compare a theatre's partition on two dates: what each controller held, gained and lost between.

With the pieces fixed (lib.pieces), the partition at a date is one controller per piece, so two
dates compare by their two arrays of controllers: no geometry is intersected, and the areas
changing hands are unions of whole pieces. That is what lets any pair of dates of a long war
compare within a request (/api/v1/compare/, territory/serve/compare.py).
"""

import bisect
import datetime as dt
from dataclasses import dataclass

import numpy as np

CHECKPOINT_STEPS = 100  # a copy of every piece's controller every this many steps


@dataclass(frozen=True)
class PieceStates:
    """Every piece's controller (an index) at any date, from a build's piece history.

    Moves are kept flat, in the order the steps apply them, with a copy of the whole state every
    CHECKPOINT_STEPS steps: a date's state is its checkpoint plus the few steps after it (at 8
    years: 95,734 pieces, 772,751 moves, about 20 MB of checkpoints; a state in under a
    millisecond, where sorting the moves up to the date took 10 ms)."""

    days: list[dt.date]  # each step's date, ascending
    ends: np.ndarray  # how many moves the steps up to and including each one make
    pieces: np.ndarray  # the piece of each move
    holders: np.ndarray  # its new controller
    checkpoints: list[np.ndarray]  # the state after the first k * CHECKPOINT_STEPS steps

    @classmethod
    def of(cls, history: dict, track: str = "moves") -> "PieceStates":
        """From {"initial": [...], "steps": [{"date": ISO, "moves": [piece, controller, ...]}]}; with
        track="confidence", how sure each piece's holding is, from each step's "confidence" [piece,
        level index, ...], every piece starting at level 0 (confirmed)."""
        moves = [step.get(track, []) for step in history["steps"]]
        flat = np.fromiter((n for step in moves for n in step), dtype=np.int64)
        ends = np.cumsum([len(step) // 2 for step in moves], dtype=np.int64)
        pieces, holders = flat[0::2], flat[1::2].astype(np.int16)
        state = np.asarray(history["initial"], dtype=np.int16)
        if track != "moves":
            state = np.zeros_like(state)
        checkpoints = [state.copy()]
        for step in range(len(moves)):
            start = int(ends[step - 1]) if step else 0
            state[pieces[start : ends[step]]] = holders[start : ends[step]]  # a step moves a piece once
            if (step + 1) % CHECKPOINT_STEPS == 0:
                checkpoints.append(state.copy())
        days = [dt.date.fromisoformat(step["date"]) for step in history["steps"]]
        return cls(days, ends, pieces, holders, checkpoints)

    def at(self, date: dt.date) -> np.ndarray:
        """Each piece's controller on `date` (the steps dated up to and including it applied)."""
        steps = bisect.bisect_right(self.days, date)
        kept = steps // CHECKPOINT_STEPS
        state = self.checkpoints[kept].copy()
        for step in range(kept * CHECKPOINT_STEPS, steps):
            first = int(self.ends[step - 1]) if step else 0
            state[self.pieces[first : self.ends[step]]] = self.holders[first : self.ends[step]]
        return state


@dataclass(frozen=True)
class Comparison:
    """Per controller index: km² on each date, km² gained and lost between; and which pieces
    changed hands, by (controller on the first date, controller on the second)."""

    km2_before: np.ndarray
    km2_after: np.ndarray
    gained: np.ndarray
    lost: np.ndarray
    moved: dict[tuple[int, int], np.ndarray]


def compare(
    states: PieceStates, piece_km2: np.ndarray, controllers: int, first: dt.date, second: dt.date
) -> Comparison:
    """From `first`'s partition to `second`'s (either may be the earlier)."""
    before, after, changed = states_of(states, first, second)
    return Comparison(
        km2_before=np.bincount(before, weights=piece_km2, minlength=controllers),
        km2_after=np.bincount(after, weights=piece_km2, minlength=controllers),
        gained=np.bincount(after[changed], weights=piece_km2[changed], minlength=controllers),
        lost=np.bincount(before[changed], weights=piece_km2[changed], minlength=controllers),
        moved=by_pair(changed, before[changed], after[changed], controllers),
    )


def moved_between(states: PieceStates, controllers: int, first: dt.date, second: dt.date) -> dict:
    """Which pieces changed hands from `first` to `second`, by (controller then, controller after)."""
    before, after, changed = states_of(states, first, second)
    return by_pair(changed, before[changed], after[changed], controllers)


def states_of(states: PieceStates, first: dt.date, second: dt.date) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each piece's controller on both dates, and the pieces that differ."""
    before, after = states.at(first).astype(np.int64), states.at(second).astype(np.int64)
    return before, after, np.flatnonzero(before != after)


def by_pair(pieces: np.ndarray, before: np.ndarray, after: np.ndarray, controllers: int) -> dict:
    if not len(pieces):
        return {}
    pairs = before * controllers + after  # one number per (before, after) pair
    order = np.argsort(pairs, kind="stable")
    found, starts = np.unique(pairs[order], return_index=True)
    groups = np.split(pieces[order], starts[1:])
    return {
        (int(pair) // controllers, int(pair) % controllers): group for pair, group in zip(found, groups, strict=True)
    }
