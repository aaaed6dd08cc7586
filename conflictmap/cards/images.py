"""The social image (Open Graph / Twitter card) of a map view at a date, as PNG bytes.

Read from the current build's snapshot for the date, drawn by lib/card.py, and cached in Redis
per (build, parameters): a new build has new keys, so a card never shows a replaced layer.
Used by the card endpoint (api.py) and the Celery task that pre-renders saved views (tasks.py).
Like the vector tiles (territory/serve/tiles.py), a card reads the build, not the head: after
an edit it shows the new layer once the build that contains it is current.
"""

import datetime as dt
import functools
import hashlib
import json
from dataclasses import dataclass

import shapely
from django.conf import settings
from django.contrib.gis.db.models.functions import AsWKB
from django.core.cache import cache
from shapely.geometry import shape

from conflictmap.atlas import outlines
from conflictmap.atlas.models import Theatre
from conflictmap.lib import card as drawing
from conflictmap.lib.partition import NO_DATA_COLOR, NO_DATA_NAME
from conflictmap.territory.areas import to_shapely
from conflictmap.territory.models import ControlArea, LayerSnapshot
from conflictmap.territory.serve.layer_cache import layers

CARD_STYLE = 1  # part of every key: raise it when the drawing changes, so cached cards are redrawn
LANGUAGES = ("en", "ar")
MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
    "ar": ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
           "ديسمبر"],
}  # fmt: skip
NO_DATA_NAMES = {"en": NO_DATA_NAME, "ar": "لا بيانات"}
BOUNDARIES = {"en": "Boundaries: Natural Earth", "ar": "الحدود: Natural Earth"}


class NoLayer(Exception):
    """No published layer of the theatre covers the date (before its start, or nothing built)."""


@dataclass(frozen=True)
class Card:
    """A map view to draw. `factions`: the slugs to colour and list (None: every controller,
    "no data" included); the others are drawn as neutral land. `bbox`: west, south, east,
    north to frame (None: the theatre)."""

    theatre: Theatre
    date: dt.date
    title: str | None = None
    factions: tuple[str, ...] | None = None
    bbox: tuple[float, float, float, float] | None = None
    language: str = "en"

    def key(self, build_id: int) -> str:
        """The cache key, and the ETag: equal for equal views of the same build."""
        factions = sorted(set(self.factions)) if self.factions is not None else None
        view = [CARD_STYLE, build_id, self.theatre.pk, self.date.isoformat(), self.title, factions, self.bbox,
                self.language]  # fmt: skip
        return "card:" + hashlib.sha256(json.dumps(view).encode()).hexdigest()[:32]


def build_id_of(theatre: Theatre, number: int | None = None) -> int:
    """The id of the theatre's current build (as this process last read it, layer_cache.py),
    or of the build of this number, if it is kept (a saved view cites it: citable.py)."""
    if number is not None:
        if (pinned := layers.pinned(theatre.slug, number)) is None or pinned.build is None:
            raise NoLayer(f"No build {number} of {theatre.slug} is kept: it was not cited.")
        return pinned.build[0]
    current = layers.theatre(theatre.slug)
    if current is None or current.build is None:
        raise NoLayer(f"No layers of {theatre.name} have been built yet.")
    return current.build[0]


def card_png(
    theatre: Theatre,
    date: dt.date,
    *,
    title: str | None = None,
    factions: list[str] | None = None,
    bbox: tuple[float, float, float, float] | None = None,
    language: str = "en",
    build: int | None = None,
) -> bytes:
    """The PNG of this view of the current build (or of the build numbered `build`, as a
    saved view citing it shows it), from the cache or drawn (and cached) now. Raises NoLayer
    when no published layer covers the date, or that build is not kept."""
    card = Card(theatre, date, title, tuple(factions) if factions is not None else None, bbox, language)
    return png_of(card, build_id_of(theatre, build))


def png_of(card: Card, build_id: int) -> bytes:
    """The card's PNG for the build `build_id`. With the cache down (django-redis ignores its
    errors) it is drawn for every request, which is slower but right."""
    key = card.key(build_id)
    png = cache.get(key)
    if png is None:
        png = draw(card, build_id)
        cache.set(key, png, timeout=settings.CARD_CACHE_SECONDS)
    return png


def draw(card: Card, build_id: int) -> bytes:
    return drawing.render(view_of(card, build_id))


def view_of(card: Card, build_id: int) -> drawing.View:
    """What lib/card.py draws: 1. the build's snapshot covering the date; 2. its areas with the
    factions' names, colours and km²; 3. the theatre, its neighbours and the texts."""
    theatre, language = card.theatre, card.language
    if card.date < theatre.start_date:
        raise NoLayer(f"No map of {theatre.name} before {theatre.start_date:%Y-%m-%d}, the start of its record.")
    snapshot = LayerSnapshot.objects.filter(build_id=build_id).covering(card.date).values_list("pk", flat=True).first()
    if snapshot is None:
        raise NoLayer(f"No published control layer of {theatre.name} covers {card.date:%Y-%m-%d} yet.")
    rows = ControlArea.objects.filter(snapshot_id=snapshot).values_list(
        "controller__slug", "controller__name", "controller__name_ar", "controller__color", "holding__area_km2",
        AsWKB("holding__geom"),
    )  # fmt: skip
    areas = [
        drawing.Area(
            color or NO_DATA_COLOR,
            (name_ar if language == "ar" and name_ar else name) if slug else NO_DATA_NAMES[language],
            km2,
            shapely.from_wkb(bytes(wkb)),
        )
        for slug, name, name_ar, color, km2, wkb in rows
        if card.factions is None or slug in card.factions
    ]
    return drawing.View(
        boundary=to_shapely(theatre.boundary),
        neighbours=neighbours(theatre.boundary.extent),
        areas=areas,
        date_text=f"{card.date.day} {MONTHS[language][card.date.month - 1]} {card.date.year}",
        title=card.title or theatre.name,
        attribution=" · ".join(filter(None, [settings.SITE_NAME, theatre.attribution, BOUNDARIES[language]])),
        bbox=card.bbox,
        language=language,
    )


def neighbours(extent: tuple[float, float, float, float]) -> list[shapely.Geometry]:
    """The countries around a theatre, as its web map's offline basemap has them: the hand-made
    neighbours of Syria's region, or the bundled countries around a theatre elsewhere."""
    return syrias_region() if outlines.in_neighbours(extent) else [part for _, part in outlines.near(extent)[1]]


@functools.cache
def syrias_region() -> list[shapely.Geometry]:
    """The neighbours file (fixtures/geo), read once per process: its polygons (its points are
    the web map's city names)."""
    path = settings.FIXTURES_DIR / "geo" / "neighbors-admin0.geojson"
    features = json.loads(path.read_text())["features"]
    return [shape(feature["geometry"]) for feature in features if feature["geometry"]["type"] != "Point"]
