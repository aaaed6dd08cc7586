"""The social image of a map view (Open Graph / Twitter card): a PNG drawn without a browser.

Used by conflictmap.cards (link previews, the share control's PNG download, the map's
<noscript> image). Pure: shapely geometries in lon/lat and text in, PNG bytes out.

Libraries, measured here (300 polygons, 60,000 vertices, 1200×630):
- aggdraw (Anti-Grain Geometry) fills and strokes the map: antialiased natively, holes by the
  non-zero winding rule, 44 ms. Pillow's ImageDraw does not antialias polygons; supersampled
  and scaled down it took 136 ms at 2× (a few shades per edge) and 356 ms at 4×. pycairo
  antialiases too, but builds from source on Linux, and cairo's own text does not shape Arabic.
- Pillow for the canvas, the text and the PNG. Its wheels bundle libraqm and HarfBuzz (with
  the system's FriBiDi), so Arabic is shaped and laid out right to left.
- DejaVu Sans (Debian's fonts-dejavu-core, installed by scripts/setup.sh) has Latin and
  Arabic glyphs, so one font serves every card; nothing is shipped in git.
Geometry is clipped to the frame and its vertices snapped to a quarter of a pixel, those that
fall in one cell drawn once: a card of an 8-year layer (52,000 vertices) is drawn and encoded
in about 70 ms (bench/cards.py).
"""

import functools
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass

import aggdraw
import numpy as np
import shapely
from PIL import Image, ImageDraw, ImageFont, features
from shapely.geometry.base import BaseGeometry

FONTS = {"regular": "DejaVuSans.ttf", "bold": "DejaVuSans-Bold.ttf"}
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
LABELS = {
    "en": {"km2": "km²", "more": "+{n} more"},
    "ar": {"km2": "كم²", "more": "+{n} أخرى"},
}
SEA, LAND, NEIGHBOUR_EDGE = "#dce7ef", "#efece5", "#b9b3a7"
THEATRE_FILL, THEATRE_EDGE, AREA_EDGE = "#e3dfd6", "#3c3c3c", "#ffffff"
INK, MUTED, PANEL = "#1a1a1a", "#5c5c5c", "#ffffff"
PADDING = 0.08  # of the framed extent, on each side


@dataclass(frozen=True)
class Area:
    """One controller's area on the card: its legend row and its fill."""

    color: str  # "#rrggbb"
    name: str
    km2: float
    geometry: BaseGeometry  # lon/lat


@dataclass(frozen=True)
class View:
    """What a card shows. `bbox` (west, south, east, north) frames the map; None frames the
    theatre. `language` picks the labels and, for Arabic and other RTL scripts, a mirrored
    layout with text shaped right to left."""

    boundary: BaseGeometry
    neighbours: Sequence[BaseGeometry]
    areas: Sequence[Area]
    date_text: str
    title: str
    attribution: str
    bbox: tuple[float, float, float, float] | None = None
    width: int = 1200
    height: int = 630
    language: str = "en"
    grid: float = 0.25  # pixels, to which vertices are snapped (path_of); 0 draws every vertex (a baseline)

    @property
    def rtl(self) -> bool:
        return self.language in RTL_LANGUAGES


def render(view: View) -> bytes:
    """The card as PNG bytes: the map on one side, title, date, legend and attribution on the
    other (the map on the right in a right-to-left language)."""
    image = Image.new("RGB", (view.width, view.height), PANEL)
    panel_width = round(view.width * 0.4)
    map_left = panel_width if view.rtl else 0
    draw_map(image, view, (map_left, 0, map_left + view.width - panel_width, view.height))
    draw_panel(image, view, (0 if view.rtl else view.width - panel_width, 0, panel_width))
    output = io.BytesIO()
    image.save(output, "PNG", compress_level=6)
    return output.getvalue()


def mercator(lat: np.ndarray) -> np.ndarray:
    """Web Mercator's y in degrees, as the site's Leaflet map draws (clamped short of the poles)."""
    clamped = np.radians(np.clip(lat, -85.0, 85.0))
    return np.degrees(np.log(np.tan(np.pi / 4 + clamped / 2)))


def inverse_mercator(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(math.radians(y))) - math.pi / 2)


@dataclass(frozen=True)
class Frame:
    """Lon/lat to the pixels of the map's rectangle: x = left + (lon - west) * scale,
    y = top + (north - mercator(lat)) * scale; `clip` is the rectangle in lon/lat."""

    left: float
    top: float
    west: float
    north: float  # in Mercator degrees
    scale: float  # pixels per degree
    clip: tuple[float, float, float, float]

    def project(self, geometry: BaseGeometry) -> BaseGeometry:
        def to_pixels(coords: np.ndarray) -> np.ndarray:
            x = self.left + (coords[:, 0] - self.west) * self.scale
            y = self.top + (self.north - mercator(coords[:, 1])) * self.scale
            return np.column_stack([x, y])

        return shapely.transform(geometry, to_pixels)


def frame_of(bounds: tuple[float, float, float, float], rect: tuple[int, int, int, int]) -> Frame:
    """The frame that fits `bounds` (lon/lat), padded, into `rect` (left, top, right, bottom)."""
    west, south, east, north = bounds
    bottom, top = (float(v) for v in mercator(np.array([south, north])))
    # A point or a line still gets a frame: at least a tenth of a degree across.
    width, height = max(east - west, 0.1), max(top - bottom, 0.1)
    centre_x, centre_y = (west + east) / 2, (bottom + top) / 2
    rect_width, rect_height = rect[2] - rect[0], rect[3] - rect[1]
    scale = min(rect_width / width, rect_height / height) / (1 + 2 * PADDING)
    frame_west, frame_north = centre_x - rect_width / 2 / scale, centre_y + rect_height / 2 / scale
    margin = 2 / scale  # two pixels: strokes at the rectangle's edge stay whole
    clip = (
        frame_west - margin,
        inverse_mercator(centre_y - rect_height / 2 / scale - margin),
        centre_x + rect_width / 2 / scale + margin,
        inverse_mercator(frame_north + margin),
    )
    return Frame(rect[0], rect[1], frame_west, frame_north, scale, clip)


def pixels(geometry: BaseGeometry, frame: Frame) -> BaseGeometry:
    """`geometry` clipped to the frame (with a margin), in pixels."""
    return frame.project(shapely.clip_by_rect(geometry, *frame.clip))


def path_of(geometry: BaseGeometry, grid: float) -> "aggdraw.Path | None":
    """The polygons of `geometry` (in pixels) as one path, each ring's vertices snapped to a
    grid of `grid` pixels and those in the same cell as the one before dropped (0: every vertex
    drawn). Exteriors and holes are wound in opposite directions, so aggdraw's non-zero fill
    leaves the holes empty.

    Snapping is one pass over the coordinates in numpy. Douglas-Peucker (shapely.simplify) to
    half a pixel, measured on an 8-year layer (52,000 vertices, bench/cards.py), cost 22 ms to
    save about 4 ms of drawing: the card took longer than with every vertex.
    """
    polygons = shapely.get_parts(shapely.orient_polygons(geometry))
    rings = shapely.get_rings(polygons[shapely.get_type_id(polygons) == 3])  # clipping can leave lines
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    if grid > 0 and len(coords):
        cells = np.round(coords / grid)
        keep = np.ones(len(coords), dtype=bool)
        keep[1:] = (ring[1:] != ring[:-1]) | np.any(cells[1:] != cells[:-1], axis=1)
        coords, ring = cells[keep] * grid, ring[keep]
    starts = np.searchsorted(ring, np.arange(len(rings) + 1))
    path, drawn = aggdraw.Path(), 0
    for start, end in zip(starts[:-1], starts[1:], strict=True):
        if end - start >= 3:  # a ring that collapsed below a triangle has nothing to fill
            path.polygon(coords[start:end].ravel().tolist())
            drawn += 1
    return path if drawn else None


def draw_map(image: Image.Image, view: View, rect: tuple[int, int, int, int]) -> None:
    """Sea, neighbours, the theatre, each area in its colour, their borders, the theatre's edge."""
    k = view.height / 630  # line widths and text follow the card's size
    frame = frame_of(view.bbox or view.boundary.bounds, rect)
    canvas = aggdraw.Draw(image)
    canvas.rectangle(rect, aggdraw.Brush(SEA))
    for neighbour in view.neighbours:
        if path := path_of(pixels(neighbour, frame), view.grid):
            canvas.path(path, aggdraw.Pen(NEIGHBOUR_EDGE, 0.8 * k), aggdraw.Brush(LAND))
    theatre = path_of(pixels(view.boundary, frame), view.grid)
    if theatre:
        canvas.path(theatre, aggdraw.Brush(THEATRE_FILL))
    # Borders between areas drawn over every fill: they also hide the faint seam two
    # antialiased fills leave along a shared edge.
    drawn = [(path, area.color) for area in view.areas if (path := path_of(pixels(area.geometry, frame), view.grid))]
    for path, color in drawn:
        canvas.path(path, aggdraw.Brush(color))
    border = aggdraw.Pen(AREA_EDGE, 0.9 * k, 200)
    for path, _ in drawn:
        canvas.path(path, border)
    if theatre:
        canvas.path(theatre, aggdraw.Pen(THEATRE_EDGE, 1.6 * k))
    canvas.flush()


@functools.lru_cache(maxsize=32)
def font(weight: str, size: int) -> ImageFont.FreeTypeFont:
    """A DejaVu face (Pillow finds it in the system's font folders), laid out by libraqm."""
    return ImageFont.truetype(FONTS[weight], size, layout_engine=ImageFont.Layout.RAQM)


def font_problem() -> str | None:
    """Why cards cannot draw their text right here, or None (cards.apps' system check)."""
    try:
        font("regular", 12)
    except OSError:
        return f"The font {FONTS['regular']} is not installed."
    if not features.check("raqm"):
        return "Pillow has no libraqm here: Arabic would be drawn unshaped, left to right."
    return None


class Writer:
    """Lines of text in the panel, aligned to its start edge (the right one in RTL). Each line
    takes its own base direction from its first strong letter (libraqm), so an English name
    or attribution on an Arabic card reads left to right, and an Arabic one right to left."""

    def __init__(self, image: Image.Image, view: View, left: int, width: int) -> None:
        self.draw = ImageDraw.Draw(image)
        self.rtl, self.language = view.rtl, view.language
        self.start = left + width if view.rtl else left
        self.width = width

    def length(self, text: str, face: ImageFont.FreeTypeFont) -> float:
        return face.getlength(text, language=self.language)

    def at(self, offset: float) -> float:
        """The x `offset` pixels in from the start edge."""
        return self.start - offset if self.rtl else self.start + offset

    def text(
        self, x: float, y: float, text: str, face: ImageFont.FreeTypeFont, fill: str, *, end: bool = False
    ) -> None:
        """Draw with the top of its ascender at y, starting at x (ending there when `end`)."""
        anchor = "ra" if self.rtl != end else "la"
        self.draw.text((x, y), text, font=face, fill=fill, anchor=anchor, language=self.language)

    def wrap(self, text: str, face: ImageFont.FreeTypeFont, width: float, max_lines: int) -> list[str]:
        """`text` in lines of at most `width` pixels, at most `max_lines` (the last cut with …)."""
        lines: list[str] = []
        for word in text.split():
            if lines and self.length(f"{lines[-1]} {word}", face) <= width:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        if len(lines) > max_lines:
            lines = [*lines[: max_lines - 1], " ".join(lines[max_lines - 1 :])]
        return [self.fit(line, face, width) for line in lines]

    def fit(self, text: str, face: ImageFont.FreeTypeFont, width: float) -> str:
        """`text`, cut short with … to at most `width` pixels."""
        if self.length(text, face) <= width:
            return text
        low, high = 0, len(text)
        while low < high:  # the longest prefix that fits with its ellipsis
            middle = (low + high + 1) // 2
            if self.length(text[:middle].rstrip() + "…", face) <= width:
                low = middle
            else:
                high = middle - 1
        return text[:low].rstrip() + "…"

    def block(self, y: float, text: str, face: ImageFont.FreeTypeFont, fill: str, max_lines: int) -> float:
        """Wrapped lines from y down; the y under them."""
        for line in self.wrap(text, face, self.width, max_lines):
            self.text(self.at(0), y, line, face, fill)
            y += face.size * 1.25
        return y


def draw_panel(image: Image.Image, view: View, place: tuple[int, int, int]) -> None:
    """Title, date, the legend (largest area first, km²) and the attribution at the foot."""
    left, top, width = place
    k = view.height / 630
    pad = round(36 * k)
    labels = LABELS.get(view.language, LABELS["en"])
    writer = Writer(image, view, left + pad, width - 2 * pad)
    edge = left + width if view.rtl else left
    writer.draw.line([(edge, 0), (edge, view.height)], fill="#d0d0d0", width=max(1, round(k)))
    y = writer.block(top + pad, view.title, font("bold", round(34 * k)), INK, 3)
    y = writer.block(y + 4 * k, view.date_text, font("regular", round(24 * k)), MUTED, 1) + 14 * k

    small = font("regular", round(15 * k))
    attribution = writer.wrap(view.attribution, small, writer.width, 3)
    foot = view.height - pad - len(attribution) * small.size * 1.3
    for n, line in enumerate(attribution):
        writer.text(writer.at(0), foot + n * small.size * 1.3, line, small, MUTED)

    face, row, swatch = font("regular", round(19 * k)), round(32 * k), round(19 * k)
    rows = sorted(view.areas, key=lambda area: -area.km2)
    room = max(0, int((foot - 10 * k - y) // row))
    shown = rows if len(rows) <= room else rows[: max(0, room - 1)]
    for area in shown:
        near, far = sorted((writer.at(0), writer.at(swatch)))
        writer.draw.rectangle([near, y, far, y + swatch], fill=area.color)
        km2 = f"{area.km2:,.0f} {labels['km2']}"
        km2_width = writer.length(km2, face)
        writer.text(writer.at(writer.width), y, km2, face, MUTED, end=True)
        name_width = writer.width - swatch - 12 * k - km2_width - 16 * k
        writer.text(writer.at(swatch + 12 * k), y, writer.fit(area.name, face, name_width), face, INK)
        y += row
    if len(shown) < len(rows):
        writer.text(writer.at(swatch + 12 * k), y, labels["more"].format(n=len(rows) - len(shown)), face, MUTED)
