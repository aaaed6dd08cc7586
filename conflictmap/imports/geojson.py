"""Reading a GeoJSON FeatureCollection of events (Point features) and control changes
(Polygon and MultiPolygon features) into rows to import, or rejections with their reason.

Hostile or broken input is refused, never half-read: a file over IMPORT_MAX_MB, JSON that
is not a FeatureCollection, NaN or Infinity, nesting deeper than GeoJSON needs, a CRS other
than WGS 84 lon/lat, coordinates out of range, self-intersecting or degenerate shapes, and
missing or malformed dates. A file-level problem raises ImportRefused; a feature's problem
rejects that feature, with its number and reason, and the rest is reported as it would load.

Properties read (all optional but `date`, and `title` and `type` for events, `controller` for
changes): `id` or `external_id` (the stable id re-imports match on), `date` (YYYY-MM-DD),
`title`, `type`, `description`, `date_precision`, `place_name`, `fatalities`, `confidence`,
`controller` (a faction slug), `note`, and `source_url`, `source_title`, `source_publisher`.
"""

import datetime as dt
import json
import math
from dataclasses import dataclass, field

import shapely
from django.conf import settings
from shapely.errors import GEOSException
from shapely.geometry import shape

WGS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:EPSG::4326", "EPSG:4326"}
MAX_DEPTH = 12  # a MultiPolygon's coordinates nest 4 deep; a FeatureCollection adds 3 or so


class ImportRefused(Exception):
    """The whole file is refused; the message says why."""


@dataclass
class Row:
    number: int  # the feature's position in the file, from 1
    kind: str  # "event" or "change"
    external_id: str
    fields: dict
    source: dict = field(default_factory=dict)
    actors: list[str] = field(default_factory=list)  # faction slugs
    notes: list[str] = field(default_factory=list)  # for the report: what was left out, and why
    label: str = ""  # a change's controller, as the file names it, for the report


@dataclass
class Rejection:
    number: int
    reason: str


@dataclass
class Ignored:
    """Something in the file that is not imported, said in the report: what, and why."""

    what: str


def read(data: bytes) -> list[Row | Rejection | Ignored]:
    if len(data) > settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            f"The file is {len(data):,} bytes; the limit is {settings.IMPORT_MAX_BYTES:,} (IMPORT_MAX_MB)."
        )
    try:
        document = json.loads(data, parse_constant=refuse_constant)
    except RecursionError:
        raise ImportRefused("The JSON nests too deep to be GeoJSON.") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise ImportRefused(f"Not valid JSON: {error}.") from None
    if depth(document) > MAX_DEPTH:
        raise ImportRefused(f"The JSON nests deeper ({depth(document)}) than GeoJSON needs ({MAX_DEPTH}).")
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        raise ImportRefused("Expected a GeoJSON FeatureCollection.")
    crs = (
        (document.get("crs") or {}).get("properties", {}).get("name") if isinstance(document.get("crs"), dict) else None
    )
    if document.get("crs") is not None and crs not in WGS84:
        raise ImportRefused(
            f"The file's CRS is {crs or document.get('crs')!r}: give WGS 84 longitude/latitude (RFC 7946)."
        )
    features = document.get("features")
    if not isinstance(features, list):
        raise ImportRefused("The FeatureCollection has no list of features.")
    too_many(len(features))
    return [row_of(number, feature) for number, feature in enumerate(features, start=1)]


def too_many(count: int) -> None:
    """Refuse a file of more features (or rows) than IMPORT_MAX_FEATURES."""
    if count > settings.IMPORT_MAX_FEATURES:
        raise ImportRefused(f"The file holds more than {settings.IMPORT_MAX_FEATURES:,} features, the limit "
                            "(IMPORT_MAX_FEATURES): split it.")  # fmt: skip


def refuse_constant(name: str):
    raise ImportRefused(f"The file contains {name}, which is not a number in JSON or GeoJSON.")


def depth(value, level: int = 1) -> int:
    if isinstance(value, dict):
        return max((depth(item, level + 1) for item in value.values()), default=level)
    if isinstance(value, list):
        return max((depth(item, level + 1) for item in value), default=level)
    return level


def row_of(number: int, feature) -> Row | Rejection:
    try:
        return parse_feature(number, feature)
    except ValueError as error:
        return Rejection(number, str(error))


def parse_feature(number: int, feature) -> Row:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise ValueError("not a GeoJSON Feature")
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        raise ValueError("its properties are not an object")
    geometry = parse_geometry(feature.get("geometry"))
    external_id = str(properties.get("external_id") or properties.get("id") or feature.get("id") or "")
    date = parse_date(properties.get("date"))
    source = {
        key: str(properties[f"source_{key}"])
        for key in ("url", "title", "publisher")
        if properties.get(f"source_{key}")
    }
    if geometry.geom_type == "Point":
        title, kind = properties.get("title"), properties.get("type")
        if not title or not kind:
            raise ValueError("an event needs a title and a type")
        fields = {"date": date, "title": str(title), "type": str(kind), "location": geometry,
                  "description": str(properties.get("description") or ""),
                  "place_name": str(properties.get("place_name") or "")}  # fmt: skip
        for name in ("date_precision", "confidence"):
            if properties.get(name):
                fields[name] = str(properties[name])
        if properties.get("fatalities") is not None:
            fields["fatalities"] = parse_count(properties["fatalities"])
        return Row(number, "event", external_id, fields, source)
    if not properties.get("controller"):
        raise ValueError("a control change needs a controller (a faction slug)")
    fields = {"date": date, "controller": str(properties["controller"]), "area": geometry,
              "note": str(properties.get("note") or "")}  # fmt: skip
    return Row(number, "change", external_id, fields, source)


def parse_geometry(geometry):
    if not isinstance(geometry, dict) or geometry.get("type") not in {"Point", "Polygon", "MultiPolygon"}:
        found = geometry.get("type") if isinstance(geometry, dict) else geometry
        raise ValueError(f"its geometry must be a Point (an event) or a (Multi)Polygon (a change), not {found!r}")
    if not numbers_only(geometry.get("coordinates")):
        raise ValueError("its coordinates are malformed (positions are lists of numbers)")
    try:
        parsed = shape(geometry)
    except (KeyError, TypeError, ValueError, IndexError, GEOSException) as error:
        raise ValueError(f"its coordinates are malformed ({error})") from None
    coordinates = shapely.get_coordinates(parsed)
    if len(coordinates) > settings.IMPORT_MAX_VERTICES:
        raise ValueError(f"its shape has {len(coordinates):,} vertices, more than the {settings.IMPORT_MAX_VERTICES:,} "
                         "a shape may have (IMPORT_MAX_VERTICES): simplify it")  # fmt: skip
    if len(coordinates) == 0 or parsed.is_empty:
        raise ValueError("its geometry is empty")
    if not all(math.isfinite(value) for value in coordinates.flat):
        raise ValueError("its coordinates are not all finite numbers")
    if not ((coordinates[:, 0] >= -180).all() and (coordinates[:, 0] <= 180).all()
            and (coordinates[:, 1] >= -90).all() and (coordinates[:, 1] <= 90).all()):  # fmt: skip
        raise ValueError("its coordinates are out of range (longitude −180..180, latitude −90..90: lon/lat order)")
    if parsed.geom_type != "Point":
        if not parsed.is_valid:
            raise ValueError(f"its shape is invalid ({shapely.is_valid_reason(parsed)}); fix it and import again")
        if parsed.area == 0:
            raise ValueError("its shape is degenerate (no area)")
    return parsed


def numbers_only(value) -> bool:
    """Whether nested lists hold numbers and nothing else (shapely would read "10" as 10)."""
    if isinstance(value, list):
        return bool(value) and all(numbers_only(item) for item in value)
    return isinstance(value, int | float) and not isinstance(value, bool)


def parse_date(value) -> dt.date:
    if not isinstance(value, str):
        raise ValueError("it has no date (YYYY-MM-DD)")
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ValueError(f"its date {value!r} is not a date (YYYY-MM-DD)") from None


def parse_count(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"its fatalities {value!r} are not a whole number of people")
    return value
