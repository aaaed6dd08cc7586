"""Turning an editor's or importer's polygon into a change area the partition can use."""

from dataclasses import dataclass

import shapely
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon
from django.core.exceptions import ValidationError

from conflictmap.lib.geodesy import area_km2
from conflictmap.lib.geometry import clip, snap


@dataclass(frozen=True)
class ClippedArea:
    geometry: MultiPolygon
    repaired: str  # what was repaired, for the editor; empty when nothing was


def to_shapely(geometry: GEOSGeometry) -> shapely.Geometry:
    return shapely.from_wkb(bytes(geometry.wkb))


def to_geos(geometry: shapely.Geometry) -> GEOSGeometry:
    return GEOSGeometry(memoryview(shapely.to_wkb(geometry)), srid=4326)


def clip_to_theatre(area: GEOSGeometry, boundary: GEOSGeometry) -> ClippedArea:
    """Repair `area` if it is invalid, clip it to the theatre and snap it to the shared grid.

    Raises ValidationError, with the reason, when nothing of the area is left inside the theatre.
    """
    if area is None or area.empty:
        raise ValidationError("The area is empty: draw the territory that changed hands.")
    shape = to_shapely(area)
    repaired = ""
    try:
        if not shape.is_valid:
            reason = shapely.is_valid_reason(shape)
            before = area_km2(shapely.make_valid(shape))
            repaired = f"Repaired invalid geometry ({reason}); the repaired area is {before:,.1f} km²."
        clipped = clip(snap(shape), to_shapely(boundary))
    except shapely.errors.GEOSException as error:  # e.g. an outer ring of one repeated point, with holes
        raise ValidationError(f"The area cannot be repaired ({error}): draw it again.") from None
    if clipped.is_empty:
        raise ValidationError("The area lies entirely outside the theatre, so it changes nothing.")
    return ClippedArea(to_geos(clipped), repaired)
