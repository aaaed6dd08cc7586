"""The pieces and history payloads of a build, for scrubbing with no request per date.

Written by territory.build.build_from; the drawn pieces and their history are served as stored
by /api/v1/pieces/ and /api/v1/history/ (territory/serve/api.py) and read by
frontend/js/pieces-layer.js; every piece at full precision, and its history, start the chunks
of a build (territory/build/chunks.py).
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import cast

import numpy as np
import shapely

from conflictmap.atlas.models import Faction, Theatre
from conflictmap.editorial.workflow import Status
from conflictmap.http import response_cache
from conflictmap.lib.generalize import decimals_for, overview
from conflictmap.lib.geodesy import areas_km2
from conflictmap.lib.partition import NO_DATA_COLOR, NO_DATA_NAME
from conflictmap.lib.pieces import arrange, history
from conflictmap.territory.areas import to_shapely
from conflictmap.territory.build.payloads import geometry_json, side_slugs
from conflictmap.territory.models import Confidence, ControlChange, LayerBuild

Moves = list[tuple[int, int]]  # (piece, new controller index)


@dataclass(frozen=True)
class PiecesPayloads:
    drawn: bytes  # /api/v1/pieces/
    history: bytes  # /api/v1/history/
    wkb: bytes  # every piece at full precision (chunk starts)
    full_history: bytes  # every piece's controller through time (chunk starts)


def controller_entry(faction: Faction | None) -> dict:
    """A controller as the history, the place API and legends name it; `coalition`: the slug and
    name of the coalition it belongs to (legends group its members under it), if any; `kind`, as
    /control/'s features (an embed finds front lines between sides, drawn-fronts.js)."""
    if faction is None:
        return {"id": None, "faction": None, "name": NO_DATA_NAME, "short_name": NO_DATA_NAME, "color": NO_DATA_COLOR,
                "kind": "status", "coalition": None, "coalition_name": None}  # fmt: skip
    parent = faction.parent
    return {"id": faction.pk, "faction": faction.slug, "name": faction.name, "short_name": faction.short_name,
            "color": faction.color, "kind": faction.kind, "coalition": parent.slug if parent else None,
            "coalition_name": parent.name if parent else None}  # fmt: skip


def pieces_payloads(theatre: Theatre, factions: dict[int, Faction]) -> PiecesPayloads:
    """What a build stores about its pieces, from the theatre's published changes.

    The pieces are cleaned as a coverage first (shapely.coverage_clean: shared edges made
    identical), so a controller's pieces dissolve with the fast coverage union, and the browser
    draws no hairlines between them.

    drawn: a FeatureCollection of the pieces generalised for the zooms below the vector tiles
    (lib.generalize: pieces too small to see there merge into their neighbours and are left
    out); feature `id` numbers the drawn pieces from 0.
    history: {"controllers": [{id, faction, name, short_name, color}], "initial": a controller
    index per drawn piece (before any change: "no data"), "steps": one per change date,
    [{"date", "moves": [drawn piece, controller index, ...], "areas": [km² per controller],
    "gained": [controller index, km², ...], "lost": [...]}]}. Areas count every piece, drawn
    or not, so a legend made from them is exact. How sure each piece's holding is, a track of
    its own beside the controllers (every piece starts "confirmed"): "confidences" (the levels'
    names, from "confirmed"), and in a step where it changes, "confidence": [drawn piece, level index,
    ...] and "uncertain": [level index, km², ...] for the levels other than confirmed.
    full_history: {"controllers", "confidences", "initial", "steps": [{"date", "moves", "confidence"}]} for
    every piece (/api/v1/compare/ and /api/v1/control/confidence/ answer from it).
    """
    changes = list(
        ControlChange.objects.filter(theatre=theatre, status=Status.PUBLISHED)
        .order_by("date", "id")
        .values_list("date", "controller_id", "area", "confidence")
    )
    arrangement = arrange(to_shapely(theatre.boundary), [to_shapely(area) for _, _, area, _ in changes])
    cleaned = shapely.coverage_clean(np.array(arrangement.pieces, dtype=object))
    initial, steps = history(arrangement, [(date, controller) for date, controller, _, _ in changes])
    levels = list(Confidence.values)
    _, sureness = history(arrangement, [(date, levels.index(level)) for date, _, _, level in changes], initial=0)
    order = [None, *sorted({controller for _, controller, _, _ in changes})]
    index = {controller: position for position, controller in enumerate(order)}
    side = side_slugs(factions)
    controllers = [
        {**controller_entry(factions.get(controller) if controller else None), "side": side.get(controller)}
        for controller in order
    ]
    start = [index[controller] for controller in initial]
    dates = [step.date.isoformat() for step in steps]
    moves = [[(piece, index[controller]) for piece, controller in step.moves] for step in steps]

    shown = overview(list(cleaned))  # as the country view: 4,184 of 95,734 pieces at 8 years
    decimals = decimals_for(cleaned)  # within a tenth of a pixel, as the country view's
    shown = shapely.transform(shown, lambda xy: np.round(xy, decimals))
    drawn = np.flatnonzero(~shapely.is_empty(shown))
    number = {int(piece): n for n, piece in enumerate(drawn)}
    features = ",".join(
        f'{{"type":"Feature","id":{n},"geometry":{geometry_json(shown[piece])}}}' for n, piece in enumerate(drawn)
    )
    piece_km2 = areas_km2(cleaned)
    browser_steps = []
    sure_moves = [cast(Moves, step.moves) for step in sureness]  # level indices, as `levels` numbers them
    sure_areas = totals(piece_km2, [0] * len(piece_km2), sure_moves, len(levels))
    for date, step, (areas, gained, lost), sure_step, (uncertain, _, _) in zip(
        dates, moves, totals(piece_km2, start, moves, len(order)), sure_moves, sure_areas, strict=True
    ):
        browser_step = {
            "date": date,
            "moves": [n for piece, holder in step if piece in number for n in (number[piece], holder)],
            "areas": [round(float(area), 1) for area in areas],
            "gained": sparse(gained),
            "lost": sparse(lost),
        }  # fmt: skip
        if sure_step:  # most steps of most wars: none (and the key left out: a long war's bytes)
            browser_step["confidence"] = [n for piece, level in sure_step if piece in number
                                          for n in (number[piece], level)]  # fmt: skip
            browser_step["uncertain"] = sparse(np.where(np.arange(len(levels)) > 0, uncertain, 0))
        browser_steps.append(browser_step)
    record = {
        "theatre": theatre.slug,
        "confidences": levels,  # their labels are the interface's words, in the reader's language
        "controllers": controllers,
        "initial": [start[piece] for piece in drawn],
        "steps": browser_steps,
    }
    full = {"controllers": controllers, "confidences": levels, "initial": start, "steps": [
        {"date": date, "moves": [n for move in step for n in move], "confidence": [n for move in sure for n in move]}
        for date, step, sure in zip(dates, moves, sure_moves, strict=True)
    ]}  # fmt: skip
    return PiecesPayloads(
        drawn=f'{{"type":"FeatureCollection","theatre":"{theatre.slug}","features":[{features}]}}'.encode(),
        history=encode(record),
        wkb=shapely.to_wkb(shapely.GeometryCollection(list(cleaned))),
        full_history=encode(full),
    )


def totals(piece_km2: np.ndarray, start: list[int], steps: list[Moves], count: int) -> Iterator[tuple]:
    """After each step: (km² per controller, km² each gained, km² each lost) by controller index."""
    state = np.array(start, dtype=int)
    areas = np.bincount(state, weights=piece_km2, minlength=count).astype(float)
    for step in steps:
        gained, lost = np.zeros(count), np.zeros(count)
        if step:
            pieces, holders = np.array(step).T
            moved = piece_km2[pieces]
            np.add.at(lost, state[pieces], moved)
            np.add.at(gained, holders, moved)
            state[pieces] = holders
            areas += gained - lost
        yield areas, gained, lost


def sparse(km2: np.ndarray) -> list:
    """[controller index, km², ...] for the controllers with at least 0.05 km²."""
    return [value for i in np.flatnonzero(km2 >= 0.05) for value in (int(i), round(float(km2[i]), 1))]


def encode(record: dict) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode()


def store_pieces(build: LayerBuild, factions: dict) -> None:
    """Store the pieces and their history (pieces_payloads) with the build.

    A spliced build stores them once it is current: at 8 years they take longer than the
    splice itself. Until they are there, the timeline names no pieces and the map draws each
    date from /control/ (frontend/js/map-page.js), so every date is right meanwhile."""
    pieces = pieces_payloads(build.theatre, factions)
    LayerBuild.objects.filter(pk=build.pk).update(
        pieces_geojson=pieces.drawn, history_json=pieces.history, pieces_wkb=pieces.wkb,
        pieces_history=pieces.full_history,
    )  # fmt: skip
    if build.is_current:
        response_cache.bump(build.theatre_id)  # the timeline announces them
