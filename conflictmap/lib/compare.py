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


@dataclass(frozen=True)
class PieceStates:
    """Every piece's controller (an index) at any date, from a build's full piece history.

    Moves are kept flat, in the order the steps apply them: a piece's controller at a date is
    that of its last move up to then, or its initial one."""

    initial: np.ndarray  # controller index per piece, before the first step
    days: list[dt.date]  # each step's date, ascending
    ends: np.ndarray  # how many moves the steps up to and including each one make
    pieces: np.ndarray  # the piece of each move
    holders: np.ndarray  # its new controller

    @classmethod
    def of(cls, history: dict) -> "PieceStates":
        """From {"initial": [...], "steps": [{"date": ISO, "moves": [piece, controller, ...]}]}."""
        moves = [step["moves"] for step in history["steps"]]
        flat = np.fromiter((n for step in moves for n in step), dtype=np.int64)
        return cls(
            initial=np.asarray(history["initial"], dtype=np.int64),
            days=[dt.date.fromisoformat(step["date"]) for step in history["steps"]],
            ends=np.cumsum([len(step) // 2 for step in moves], dtype=np.int64),
            pieces=flat[0::2],
            holders=flat[1::2],
        )

    def at(self, date: dt.date) -> np.ndarray:
        """Each piece's controller on `date` (the steps dated up to and including it applied)."""
        steps = bisect.bisect_right(self.days, date)
        count = int(self.ends[steps - 1]) if steps else 0
        state = self.initial.copy()
        if count:
            # The last move of each piece wins: the first of each in the reversed moves.
            moved, first = np.unique(self.pieces[:count][::-1], return_index=True)
            state[moved] = self.holders[:count][::-1][first]
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
    before, after = states.at(first), states.at(second)
    changed = np.flatnonzero(before != after)
    pairs = before[changed] * controllers + after[changed]  # one number per (before, after) pair
    moved = {(int(pair) // controllers, int(pair) % controllers): changed[pairs == pair] for pair in np.unique(pairs)}
    return Comparison(
        km2_before=np.bincount(before, weights=piece_km2, minlength=controllers),
        km2_after=np.bincount(after, weights=piece_km2, minlength=controllers),
        gained=np.bincount(after[changed], weights=piece_km2[changed], minlength=controllers),
        lost=np.bincount(before[changed], weights=piece_km2[changed], minlength=controllers),
        moved=moved,
    )
