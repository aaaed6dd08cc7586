"""The bytes the API sends for a layer, made once per snapshot (territory.build.storage.layer_of) or
head (territory.build.head) and then served untouched with their ETag.
"""

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from conflictmap.atlas.models import Faction
from conflictmap.lib.fronts import side_of
from conflictmap.lib.partition import NO_DATA_COLOR, NO_DATA_NAME, Controller

DECIMALS = 6  # 0.1 m: the build grid; more digits would only add bytes


@dataclass(frozen=True)
class AreaRow:
    faction: Faction | None  # None: territory no published change covers
    geometry_json: str  # GeoJSON text: geometry_json(), or PostGIS's ST_AsGeoJSON
    area_km2: float
    gained_km2: float
    lost_km2: float


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def geometry_json(geometry: BaseGeometry) -> str:
    rounded = shapely.transform(geometry, lambda coords: np.round(coords, DECIMALS))
    return json.dumps(mapping(rounded), separators=(",", ":"))


def sides_of(factions: dict[int, Faction], controllers) -> dict:
    """The side (a faction's id, lib.fronts.side_of) each of the `controllers` fights on, from
    `factions`: every faction, so that coalitions within coalitions are followed to the top."""
    parents: dict[Controller, Controller | None] = {pk: faction.parent_id for pk, faction in factions.items()}
    statuses = {pk for pk, faction in factions.items() if faction.kind == Faction.Kind.STATUS}
    return {controller: side_of(controller, parents, statuses) for controller in controllers}


def side_slugs(factions: dict[int, Faction]) -> dict[int, str | None]:
    """Each faction's side by slug (none for a status), as layers say it: a map that finds fronts
    in the areas it draws (frontend/js/drawn-fronts.js) compares these."""
    return {pk: None if side is None else factions[side].slug for pk, side in sides_of(factions, factions).items()}


def feature_json(row: AreaRow, valid_from: dt.date, valid_to: dt.date | None, side: str | None) -> str:
    faction = row.faction
    properties = {
        "faction": faction.slug if faction else None,
        "name": faction.name if faction else NO_DATA_NAME,
        "short_name": faction.short_name if faction else NO_DATA_NAME,
        "color": faction.color if faction else NO_DATA_COLOR,
        "kind": faction.kind if faction else "status",
        # legends group a coalition's members under it (control-layer.js): the build's factions
        # come with their parent (select_related), so this costs no query per feature
        "coalition": faction.parent.slug if faction and faction.parent else None,
        "coalition_name": faction.parent.name if faction and faction.parent else None,
        "side": side,
        "area_km2": round(row.area_km2, 1),
        "gained_km2": round(row.gained_km2, 1),
        "lost_km2": round(row.lost_km2, 1),
        "valid_from": _iso(valid_from),
        "valid_to": _iso(valid_to),
    }
    encoded = json.dumps(properties, ensure_ascii=False, separators=(",", ":"))
    return f'{{"type":"Feature","geometry":{row.geometry_json},"properties":{encoded}}}'


def snapshot_geojson(theatre_slug: str, valid_from: dt.date, valid_to: dt.date | None, rows: list[AreaRow]) -> bytes:
    """A FeatureCollection, one feature per controller, largest first (stable for equal input).

    Assembled as text so each controller's geometry is encoded once per build, not per interval.
    """
    ordered = sorted(rows, key=lambda row: (-round(row.area_km2, 1), row.faction.slug if row.faction else ""))
    header = {"type": "FeatureCollection", "theatre": theatre_slug, "valid_from": _iso(valid_from)}
    head = json.dumps({**header, "valid_to": _iso(valid_to)}, separators=(",", ":"))
    side = side_slugs(Faction.objects.in_bulk())
    features = ",".join(
        feature_json(row, valid_from, valid_to, side.get(row.faction.pk) if row.faction else None) for row in ordered
    )
    return f'{head[:-1]},"features":[{features}]}}'.encode()


def etag_of(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()[:32]
