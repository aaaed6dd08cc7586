"""Reading KML (and KMZ, zipped KML) as exported by Google My Maps and Google Earth.

Each Placemark becomes a GeoJSON-shaped feature, checked by the GeoJSON reader's rules
(imports/geojson.py): a Point is an event, a Polygon or a MultiGeometry of polygons a control
change. Its properties come from ExtendedData (My Maps' columns: date, type, controller, id,
fatalities, source_url, ...), `name` (the title), `description` (HTML in My Maps: tags are
removed on save) and TimeStamp/when or TimeSpan/begin (the date when no column gives one).

Hostile files are refused whole: any DTD or entity (billion laughs, external entities), via
defusedxml; KMZ archives with more than MAX_ENTRIES entries, no KML inside, or a KML larger
than IMPORT_MAX_BYTES once unzipped (read no further than that) or compressed over
MAX_RATIO to one (zip bombs). Nothing is ever extracted to disk.
"""

import io
import zipfile
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from django.conf import settings

from conflictmap.imports.geojson import Ignored, ImportRefused, Rejection, Row, row_of, too_many

KML = "{http://www.opengis.net/kml/2.2}"
# What KML may hold besides placemarks, listed in the report as not imported. A link to another
# file is never followed: nothing in an import is ever fetched from a URL.
NOT_IMPORTED = {
    "NetworkLink": "links to other files, never fetched",
    "GroundOverlay": "images laid over the ground",
    "PhotoOverlay": "photos",
    "ScreenOverlay": "images fixed on the screen",
    "Model": "3D models",
    "Tour": "tours",
}
MAX_ENTRIES = 100
MAX_RATIO = 100


def read_kmz(data: bytes) -> list[Row | Rejection | Ignored]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRefused("Not a KMZ (zip) archive.") from None
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise ImportRefused(f"The archive holds {len(entries):,} entries; a KMZ has a few (at most {MAX_ENTRIES}).")
    kml = next((entry for entry in entries if entry.filename.lower().endswith(".kml")), None)
    if kml is None:
        raise ImportRefused("The archive holds no .kml file.")
    limit = settings.IMPORT_MAX_BYTES
    if kml.file_size > limit or kml.file_size > MAX_RATIO * max(kml.compress_size, 1):
        raise ImportRefused(f"{kml.filename} unzips to {kml.file_size:,} bytes from {kml.compress_size:,}: refused.")
    with archive.open(kml) as unzipped:
        text = unzipped.read(limit + 1)  # the sizes in the archive's directory may lie
    if len(text) > limit:
        raise ImportRefused(f"{kml.filename} unzips to more than {limit:,} bytes (IMPORT_MAX_MB).")
    return read(text)


def read(data: bytes) -> list[Row | Rejection | Ignored]:
    if len(data) > settings.IMPORT_MAX_BYTES:
        limit = settings.IMPORT_MAX_BYTES
        raise ImportRefused(f"The file is {len(data):,} bytes; the limit is {limit:,} (IMPORT_MAX_MB).")
    try:
        root = fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        kind = type(error).__name__
        raise ImportRefused(f"The KML declares a DTD or entities, which KML never needs ({kind}).") from None
    except ParseError as error:
        raise ImportRefused(f"Not well-formed XML: {error}.") from None
    if root.tag != f"{KML}kml":
        raise ImportRefused("Not a KML document (its root is not <kml> in the KML 2.2 namespace).")
    placemarks = list(root.iter(f"{KML}Placemark"))
    too_many(len(placemarks))
    ignored: list[Row | Rejection | Ignored] = [
        Ignored(f"{count:,} {tag} element{'s' if count > 1 else ''} ({why})")
        for tag, why in NOT_IMPORTED.items() if (count := sum(1 for _ in root.iter(f"{KML}{tag}")))
    ]  # fmt: skip
    return ignored + [row_of(number, feature_of(placemark)) for number, placemark in enumerate(placemarks, 1)]


def feature_of(placemark: Element) -> dict:
    """The placemark as a GeoJSON Feature (its geometry None when it has none we import)."""
    properties: dict = {}
    when = placemark.findtext(f".//{KML}TimeStamp/{KML}when") or placemark.findtext(f".//{KML}TimeSpan/{KML}begin")
    # (Google Earth: a placemark's date; a column named date, below, wins over it.)
    if when:
        properties["date"] = when.strip()[:10]
    for data in placemark.iter(f"{KML}Data"):
        if data.get("name"):
            properties[data.get("name", "").strip().lower()] = (data.findtext(f"{KML}value") or "").strip()
    for simple in placemark.iter(f"{KML}SimpleData"):  # Google Earth's schema-typed columns
        if simple.get("name"):
            properties[simple.get("name", "").strip().lower()] = (simple.text or "").strip()
    properties.setdefault("title", (placemark.findtext(f"{KML}name") or "").strip())
    properties.setdefault("description", (placemark.findtext(f"{KML}description") or "").strip())
    properties.setdefault("external_id", placemark.get("id") or "")
    if "fatalities" in properties:
        properties["fatalities"] = int(properties["fatalities"]) if properties["fatalities"].isdigit() else -1
    return {"type": "Feature", "geometry": geometry_of(placemark), "properties": properties}


def geometry_of(placemark: Element) -> dict | None:
    point = placemark.find(f".//{KML}Point/{KML}coordinates")
    polygons = placemark.findall(f".//{KML}Polygon")
    if point is not None and not polygons:
        positions = positions_of(point.text)
        return {"type": "Point", "coordinates": positions[0] if len(positions) == 1 else positions}
    if polygons:
        rings = [
            [positions_of(ring.text) for ring in polygon.iter(f"{KML}coordinates")] for polygon in polygons
        ]  # outerBoundaryIs comes first in KML, then the holes
        return {"type": "MultiPolygon", "coordinates": rings}
    line = placemark.find(f".//{KML}LineString")
    return {"type": "LineString"} if line is not None else None


def positions_of(text: str | None) -> list:
    """KML's "lon,lat[,alt] lon,lat[,alt] ..." as GeoJSON positions; a malformed one as text,
    which the GeoJSON rules then reject."""
    positions: list = []
    for token in (text or "").split():
        parts = token.split(",")
        try:
            positions.append([float(parts[0]), float(parts[1])])
        except (IndexError, ValueError):
            positions.append(token)
    return positions
