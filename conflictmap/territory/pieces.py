"""The pieces and history payloads of a build, for scrubbing with no request per date.

Written by territory.build.write_build; served as stored by /api/v1/pieces/ and
/api/v1/history/ (territory/api.py); read by frontend/js/pieces-layer.js.
"""

import json

import numpy as np
import shapely

from conflictmap.atlas.models import Faction, Status, Theatre
from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.pieces import arrange, history
from conflictmap.territory.areas import to_shapely
from conflictmap.territory.models import ControlChange
from conflictmap.territory.payloads import NO_DATA_COLOR, NO_DATA_NAME, geometry_json


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

    pieces: a FeatureCollection; feature `id` is the piece's index, `properties.area_km2` its area.
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
    features = ",".join(
        f'{{"type":"Feature","id":{number},"properties":{{"area_km2":{round(area_km2(piece), 3)}}},'
        f'"geometry":{geometry_json(piece) if not piece.is_empty else "null"}}}'
        for number, piece in enumerate(cleaned)
    )
    pieces = f'{{"type":"FeatureCollection","theatre":"{theatre.slug}","features":[{features}]}}'.encode()
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
