"""The pieces and history payloads of a build, for scrubbing with no request per date.

Written by territory.build.write_build; served as stored by /api/v1/pieces/ and
/api/v1/history/ (territory/api.py); read by frontend/js/pieces-layer.js.
"""

import json

import numpy as np
import shapely

from conflictmap.atlas.models import Faction, Status, Theatre
from conflictmap.lib.generalize import overview
from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.pieces import arrange, history
from conflictmap.territory.areas import to_shapely
from conflictmap.territory.models import ControlChange
from conflictmap.territory.overview import DECIMALS
from conflictmap.territory.payloads import NO_DATA_COLOR, NO_DATA_NAME, geometry_json

# The pieces are drawn below the vector tiles' zoom (9): generalised for a map this many pixels
# across the theatre (about zoom 8 for Syria), they are a few thousand instead of 95,000 at 8 years.
DRAWN_PIXELS_ACROSS = 1500


def controller_entry(faction: Faction | None) -> dict:
    if faction is None:
        return {"id": None, "faction": None, "name": NO_DATA_NAME, "short_name": NO_DATA_NAME, "color": NO_DATA_COLOR}
    return {"id": faction.pk, "faction": faction.slug, "name": faction.name, "short_name": faction.short_name,
            "color": faction.color}  # fmt: skip


def pieces_payloads(theatre: Theatre, factions: dict[int, Faction]) -> tuple[bytes, bytes, bytes]:
    """(pieces GeoJSON, history JSON, pieces WKB) from the theatre's published changes.

    The pieces are cleaned as a coverage first (shapely.coverage_clean: shared edges made
    identical), so a controller's pieces dissolve with the fast coverage union (chunk starts in
    territory.chunks, from the WKB, which keeps every digit) and the browser draws no hairlines.

    pieces: a FeatureCollection for drawing, generalised for the zooms below the vector tiles
    (lib.generalize: pieces too small to see there are merged into their neighbours and have
    no feature); feature `id` is the piece's index; `areas` lists every piece's km², by index.
    history: {"controllers": [{id, faction, name, short_name, color}], "initial": controller
    index per piece (before any change: "no data"), "steps": [{"date", "moves": [piece,
    controller index, piece, controller index, ...]}]}, one step per change date (its moves
    may be empty when the date's changes cancel out).
    """
    changes = list(
        ControlChange.objects.filter(theatre=theatre, status=Status.PUBLISHED)
        .order_by("date", "id")
        .values_list("date", "controller_id", "area")
    )
    arrangement = arrange(to_shapely(theatre.boundary), [to_shapely(area) for _, _, area in changes])
    cleaned = shapely.coverage_clean(np.array(arrangement.pieces, dtype=object))
    initial, steps = history(arrangement, [(date, controller) for date, controller, _ in changes])
    order = [None, *sorted({controller for _, controller, _ in changes})]
    index = {controller: position for position, controller in enumerate(order)}
    shown = overview(list(cleaned), pixels_across=DRAWN_PIXELS_ACROSS)
    features = ",".join(
        f'{{"type":"Feature","id":{number},"geometry":{geometry_json(drawn)}}}'
        for number, drawn in enumerate(shapely.transform(shown, lambda xy: np.round(xy, DECIMALS)))
        if not drawn.is_empty
    )
    areas = json.dumps([round(area_km2(piece), 3) for piece in cleaned], separators=(",", ":"))
    pieces = (
        f'{{"type":"FeatureCollection","theatre":"{theatre.slug}","areas":{areas},"features":[{features}]}}'.encode()
    )
    record = {
        "theatre": theatre.slug,
        "controllers": [controller_entry(factions.get(controller) if controller else None) for controller in order],
        "initial": [index[controller] for controller in initial],
        "steps": [
            {"date": step.date.isoformat(), "moves": [n for piece, c in step.moves for n in (piece, index[c])]}
            for step in steps
        ],
    }
    as_wkb = shapely.to_wkb(shapely.GeometryCollection(list(cleaned)))
    return pieces, json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode(), as_wkb
