"""Where a new theatre's outline comes from: a country of the bundled Natural Earth admin-0 set
(fixtures/geo/countries-admin0.geojson, fixtures/README.md), or a boundary file an editor uploads.

Both end as one valid lon/lat MultiPolygon, which the Theatre table requires.
"""

import functools
import json
import tempfile
import unicodedata

import shapely
from django.conf import settings
from django.contrib.gis.gdal import DataSource, GDALException
from django.contrib.gis.geos import GEOSGeometry
from django.core.exceptions import ValidationError
from django.templatetags.static import static
from django.urls import reverse
from shapely.geometry import MultiPolygon, mapping, shape
from shapely.geometry.base import BaseGeometry

from conflictmap.lib.geometry import polygonal

COUNTRIES = settings.FIXTURES_DIR / "geo" / "countries-admin0.geojson"
NEIGHBOURS = settings.FIXTURES_DIR / "geo" / "neighbors-admin0.geojson"  # Syria's region, by hand
MAX_UPLOAD_MB = 20
MARGIN = 0.25, 2.0  # a basemap's reach past a theatre: this share of its size, at least these degrees


@functools.cache
def _countries() -> dict[str, tuple[dict, BaseGeometry]]:
    """Each country's properties and outline (shapely), read once per process."""
    with COUNTRIES.open(encoding="utf-8") as file:
        features = json.load(file)["features"]
    return {feature["properties"]["iso"]: (feature["properties"], shape(feature["geometry"])) for feature in features}


def countries() -> list[tuple[str, str]]:
    """(code, name) of every country and dependency, by name: the admin's choices."""

    def plain(choice: tuple[str, str]) -> str:  # Åland among the As
        return unicodedata.normalize("NFKD", choice[1]).encode("ascii", "ignore").decode().casefold()

    return sorted(((iso, properties["name"]) for iso, (properties, _) in _countries().items()), key=plain)


def country(iso: str) -> tuple[dict, GEOSGeometry]:
    """A country's properties (name, name_ar) and outline."""
    properties, outline = _countries()[iso]
    return properties, as_geos(outline)


def uploaded(file) -> GEOSGeometry:
    """The union of the polygons in an uploaded GeoJSON, KML, GeoPackage or zipped shapefile,
    in lon/lat; ValidationError saying what is wrong otherwise."""
    if file.size > MAX_UPLOAD_MB * 1024 * 1024:
        raise ValidationError(f"The file is over {MAX_UPLOAD_MB} MB: a country outline needs far less.")
    with tempfile.NamedTemporaryFile(suffix=f"-{file.name}") as copy:
        for chunk in file.chunks():
            copy.write(chunk)
        copy.flush()
        path = f"/vsizip/{copy.name}" if file.name.lower().endswith(".zip") else copy.name
        try:
            source = DataSource(path)
            parts = [shapely.from_wkb(bytes(feature.geom.transform(4326, clone=True).wkb))
                     for layer in source for feature in layer if feature.geom is not None]  # fmt: skip
        except (GDALException, IndexError) as error:
            raise ValidationError(f"Cannot read {file.name} as a map file (GeoJSON, KML, GeoPackage or a "
                                  f"zipped shapefile): {error}") from None  # fmt: skip
    area = polygonal(shapely.make_valid(shapely.union_all(parts))) if parts else MultiPolygon()
    if area.is_empty:
        raise ValidationError(f"{file.name} holds no polygon: the outline must be an area.")
    return as_geos(area)


def drawn(geometry: GEOSGeometry) -> GEOSGeometry:
    """A shape drawn on the admin's map (a Polygon or a MultiPolygon), repaired if need be."""
    return as_geos(shapely.from_wkb(bytes(geometry.wkb)))


def as_geos(area) -> GEOSGeometry:
    area = polygonal(shapely.make_valid(area))
    return GEOSGeometry(memoryview(shapely.to_wkb(area)), srid=4326)


@functools.cache
def _neighbours_bbox() -> tuple[float, float, float, float]:
    with NEIGHBOURS.open(encoding="utf-8") as file:
        return tuple(json.load(file)["bbox"])


def in_neighbours(extent: tuple[float, float, float, float]) -> bool:
    """Whether the hand-made neighbours file covers this extent (then it is the basemap)."""
    west, south, east, north = _neighbours_bbox()
    return west <= extent[0] and south <= extent[1] and extent[2] <= east and extent[3] <= north


def basemap_url(slug: str, boundary: GEOSGeometry) -> str:
    """Where a theatre's offline basemap is, for its map, its embeds and the admin's forms: the
    hand-made neighbours of Syria's region where they cover it, else the bundled countries
    around it (the API's /theatres/<slug>/basemap/)."""
    if in_neighbours(boundary.extent):
        return static("basemap/neighbors-admin0.geojson")
    return reverse("api-basemap", args=[slug])


@functools.lru_cache(maxsize=32)
def near(extent: tuple[float, float, float, float]) -> tuple[tuple[float, ...], list[tuple[dict, MultiPolygon]]]:
    """A box around a theatre's extent and the bundled countries cut to it, with their
    properties: the basemap of a theatre outside the neighbours file (its map and its card)."""
    west, south, east, north = extent
    reach_x = max(MARGIN[1], (east - west) * MARGIN[0])
    reach_y = max(MARGIN[1], (north - south) * MARGIN[0])
    box = (max(-180, west - reach_x), max(-85, south - reach_y), min(180, east + reach_x), min(85, north + reach_y))
    cut = [
        (properties, polygonal(shapely.clip_by_rect(outline, *box))) for properties, outline in _countries().values()
    ]
    return box, [(properties, part) for properties, part in cut if not part.is_empty]


def around(extent: tuple[float, float, float, float]) -> dict:
    """near() as the GeoJSON the map reads, with the box as `bbox` (its view stays inside)."""
    box, countries_near = near(extent)
    features = [{"type": "Feature", "properties": properties, "geometry": mapping(part)}
                for properties, part in countries_near]  # fmt: skip
    return {"type": "FeatureCollection", "bbox": [round(value, 3) for value in box], "features": features}
