"""What an edit did to a shape, for people reading its revisions: an area's size in km² and what
was added and removed, a point's position and how far it moved, and a small SVG sketch of the
two (the removed part red, the added part green, what stayed grey). A count of vertices, which
is all the stored text says at a glance, tells an editor nothing about what changed hands.

Shapes arrive as the revisions keep them: EWKT, lon/lat (editorial/history.py). No Django here:
the admin marks a sketch safe where it shows it (editorial/admin.py).
"""

import math

import shapely
from shapely.geometry.base import BaseGeometry

from conflictmap.lib.geodesy import area_km2, distance_km
from conflictmap.lib.geometry import difference, intersection, polygonal

SKETCH_WIDTH, SKETCH_HEIGHT = 180, 120


def is_shape(value) -> bool:
    return isinstance(value, str) and value.startswith("SRID=")


def _shape(ewkt: str) -> BaseGeometry:
    return shapely.from_wkt(ewkt.split(";", 1)[1])


def same(before, after) -> bool:
    """Whether two stored values are the same shape (equal as geometries, whatever the order of
    their rings and vertices); False unless both are shapes."""
    if not (is_shape(before) and is_shape(after)):
        return False
    return bool(_shape(before).equals(_shape(after)))


def summary(ewkt: str) -> str:
    """One shape in words: "1,234 km² in 2 parts", or a point's position."""
    shape = _shape(ewkt)
    if shape.geom_type == "Point":
        return f"{abs(shape.y):.4f}° {'N' if shape.y >= 0 else 'S'}, {abs(shape.x):.4f}° {'E' if shape.x >= 0 else 'W'}"
    parts = len(shape.geoms) if hasattr(shape, "geoms") else 1
    return f"{area_km2(shape):,.0f} km²" + (f" in {parts} parts" if parts > 1 else "")


def change(before: str | None, after: str | None) -> str:
    """What went from `before` to `after`, in words: km² added and removed, or km moved."""
    if not before or not after:
        return ""
    old, new = _shape(before), _shape(after)
    if old.geom_type == new.geom_type == "Point":
        return f"moved {distance_km(old.coords[0], new.coords[0]):,.1f} km"
    if "Polygon" not in old.geom_type or "Polygon" not in new.geom_type:
        return ""
    added, removed = area_km2(difference(new, old)), area_km2(difference(old, new))
    return f"{added:,.0f} km² added, {removed:,.0f} km² removed"


def sketch(before: str | None, after: str | None) -> str:
    """Both areas in a small SVG: removed red, added green, kept grey; empty unless both are areas."""
    if not before or not after:
        return ""
    old, new = polygonal(_shape(before)), polygonal(_shape(after))
    if old.is_empty or new.is_empty:
        return ""
    west, south, east, north = shapely.union(old, new).bounds
    squeeze = max(0.2, math.cos(math.radians((south + north) / 2)))  # a degree of longitude is shorter
    span_x, span_y = max((east - west) * squeeze, 1e-9), max(north - south, 1e-9)
    scale = min((SKETCH_WIDTH - 4) / span_x, (SKETCH_HEIGHT - 4) / span_y)

    def path(shape: BaseGeometry, fill: str) -> str:
        shape = shape.simplify(1 / scale)  # about a pixel: the sketch stays small however fine the shape
        rings = []
        for polygon in getattr(shape, "geoms", [shape]):
            if polygon.geom_type != "Polygon":
                continue
            for ring in [polygon.exterior, *polygon.interiors]:
                points = " L".join(
                    f"{2 + (x - west) * squeeze * scale:.1f} {2 + (north - y) * scale:.1f}" for x, y in ring.coords
                )
                rings.append(f"M{points}Z")
        return f'<path d="{" ".join(rings)}" fill="{fill}" fill-rule="evenodd"/>' if rings else ""

    kept, added, removed = intersection(old, new), difference(new, old), difference(old, new)
    body = path(kept, "#bbb") + path(removed, "#d62728") + path(added, "#2ca02c")
    return (  # numbers and fixed colours only: nothing anyone typed
        f'<svg class="shape-sketch" width="{SKETCH_WIDTH}" height="{SKETCH_HEIGHT}" role="img" '
        f'aria-label="Before and after: removed in red, added in green">{body}</svg>'
    )
