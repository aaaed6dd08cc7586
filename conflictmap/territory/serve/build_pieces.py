"""A build's pieces at full precision and who held each when, read once per web process: what
/api/v1/compare/ and /api/v1/control/confidence/ answer from with no geometry overlaid."""

import datetime as dt
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import shapely
from rest_framework import exceptions

from conflictmap.atlas.api import theatre_or_404
from conflictmap.atlas.models import Theatre
from conflictmap.lib.compare import PieceStates
from conflictmap.lib.generalize import decimals_for
from conflictmap.lib.geodesy import areas_km2
from conflictmap.territory.models import LayerBuild
from conflictmap.territory.serve.layer_cache import layers


@dataclass(frozen=True)
class BuildPieces:
    """A build's pieces at full precision, their km², who held each when, and who held each
    drawn piece (the map's, /api/v1/pieces/) when."""

    pieces: np.ndarray
    km2: np.ndarray
    states: PieceStates
    drawn: PieceStates
    controllers: list[dict]
    sure: PieceStates  # how sure each piece's holding is (a level index into `levels`) at any date
    levels: list[str]  # the confidence levels' names, from "confirmed"
    decimals: int  # coordinates are sent rounded as the country view's (within a tenth of its pixel)


class PiecesOfBuilds:
    """The pieces of the last few builds asked about, per process: reading and measuring them
    takes about a second at 8 years, a pair's comparison then milliseconds."""

    KEPT = 2  # the current build, and the one it replaced while web processes catch up

    def __init__(self) -> None:
        self._builds: OrderedDict[int, BuildPieces] = OrderedDict()
        self._lock = threading.Lock()

    def of(self, build_id: int) -> BuildPieces | None:
        with self._lock:
            if build_id in self._builds:
                self._builds.move_to_end(build_id)
                return self._builds[build_id]
        row = (LayerBuild.objects.filter(pk=build_id)
               .values_list("pieces_wkb", "pieces_history", "history_json").first())  # fmt: skip
        if not row or not all(row):
            return None  # no build, or its pieces are still being stored (territory.build.scrubbing)
        pieces = shapely.get_parts(shapely.from_wkb(bytes(row[0])))
        history, drawn = json.loads(bytes(row[1])), json.loads(bytes(row[2]))
        loaded = BuildPieces(pieces, areas_km2(pieces), PieceStates.of(history), PieceStates.of(drawn),
                             history["controllers"], PieceStates.of(history, "confidence"),
                             history.get("confidences", ["confirmed"]), decimals_for(pieces))  # fmt: skip
        with self._lock:
            self._builds[build_id] = loaded
            while len(self._builds) > self.KEPT:
                self._builds.popitem(last=False)
        return loaded


builds = PiecesOfBuilds()


def current_build(slug: str, first: dt.date) -> tuple[Theatre, int]:
    """The theatre a query names and the id of its current build, for the answers made from the
    build (compare, confidence, fronts): a 404 for an unknown theatre, a date before its start,
    or while nothing is built yet."""
    theatre = theatre_or_404(slug)
    if first < theatre.start_date:
        raise exceptions.NotFound(f"No map of {theatre.name} before {theatre.start_date:%Y-%m-%d}.")
    current = layers.theatre(theatre.slug, fresh=True)
    if current is None or current.build is None:
        raise being_built(theatre)
    return theatre, current.build[0]


def current_pieces(slug: str, first: dt.date) -> tuple[Theatre, int, BuildPieces]:
    """As current_build, with the build's pieces (a 404 too while they are being stored)."""
    theatre, build = current_build(slug, first)
    built = builds.of(build)
    if built is None:
        raise being_built(theatre)
    return theatre, build, built


def being_built(theatre: Theatre) -> exceptions.NotFound:
    return exceptions.NotFound(f"The layers of {theatre.name} are being built: ask again in a minute.")
