"""The bytes the API sends for a snapshot, produced once at build time.

Used by conflictmap.territory.build; the API serves these bytes untouched (with their ETag),
so no geometry work happens per request.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import Polygon, mapping
from shapely.geometry.base import BaseGeometry

from conflictmap.atlas.models import Faction
from conflictmap.lib.geometry import polygonal

NO_DATA_NAME = "No data"
NO_DATA_COLOR = "#bdbdbd"
DECIMALS = 6  # 0.1 m: the build grid; more digits would only add bytes


@dataclass(frozen=True)
class AreaRow:
    faction: Faction | None  # None: territory no published change covers
    geometry_json: str  # from geometry_json(); computed once per geometry by the build
    area_km2: float
    gained_km2: float
    lost_km2: float


def _iso(date: dt.date | None) -> str | None:
    return date.isoformat() if date else None


def polygon_coordinates_json(polygon: Polygon) -> str:
    """The GeoJSON coordinates of one polygon, rounded to DECIMALS."""
    rounded = shapely.transform(polygon, lambda coords: np.round(coords, DECIMALS))
    return json.dumps(mapping(rounded)["coordinates"], separators=(",", ":"))


def multipolygon_json(polygons_json: Iterable[str]) -> str:
    """A MultiPolygon's GeoJSON from its polygons' coordinates (polygon_coordinates_json)."""
    return f'{{"type":"MultiPolygon","coordinates":[{",".join(polygons_json)}]}}'


def geometry_json(geometry: BaseGeometry) -> str:
    """A Polygon or MultiPolygon as GeoJSON (anything else polygonal as a MultiPolygon)."""
    if isinstance(geometry, Polygon):
        return f'{{"type":"Polygon","coordinates":{polygon_coordinates_json(geometry)}}}'
    return multipolygon_json(polygon_coordinates_json(part) for part in shapely.get_parts(polygonal(geometry)))


def feature_json(row: AreaRow, valid_from: dt.date, valid_to: dt.date | None) -> str:
    faction = row.faction
    properties = {
        "faction": faction.slug if faction else None,
        "name": faction.name if faction else NO_DATA_NAME,
        "short_name": faction.short_name if faction else NO_DATA_NAME,
        "color": faction.color if faction else NO_DATA_COLOR,
        "kind": faction.kind if faction else "status",
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
    features = ",".join(feature_json(row, valid_from, valid_to) for row in ordered)
    return f'{head[:-1]},"features":[{features}]}}'.encode()


def etag_of(payload: bytes) -> str:
    return hashlib.sha256(payload).hexdigest()[:32]
