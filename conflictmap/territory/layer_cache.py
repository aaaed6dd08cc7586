"""Process-local cache in front of the stored layers: a hot layer costs no database round trip.

Used by territory.api.control. A layer is cached under (build, date), with its gzip encoding
made once. Which build is current is re-read from the database at most every
settings.LAYER_CURRENT_TTL seconds per theatre, so a new build reaches every web process within
that time (an edit should reach readers within a second). Old builds' entries age out of the LRU.
"""

import datetime as dt
import gzip
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q

from conflictmap.atlas.models import Theatre
from conflictmap.territory.models import LayerBuild, LayerSnapshot


@dataclass(frozen=True)
class TheatreState:
    theatre: Theatre
    build_id: int | None
    read_at: float


@dataclass(frozen=True)
class Layer:
    etag: str
    payload: bytes
    gzipped: bytes

    @property
    def size(self) -> int:
        return len(self.payload) + len(self.gzipped)


class LayerCache:
    def __init__(self) -> None:
        self._theatres: dict[str, TheatreState] = {}
        self._layers: OrderedDict[tuple[int, dt.date], Layer | None] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def theatre(self, slug: str) -> TheatreState | None:
        """The theatre and its current build id, as of at most LAYER_CURRENT_TTL seconds ago."""
        state = self._theatres.get(slug)
        if state is None or time.monotonic() - state.read_at >= settings.LAYER_CURRENT_TTL:
            theatre = Theatre.objects.filter(slug=slug).first()
            if theatre is None:
                return None
            build_id = LayerBuild.objects.filter(theatre=theatre, is_current=True).values_list("pk", flat=True).first()
            state = self._theatres[slug] = TheatreState(theatre, build_id, time.monotonic())
        return state

    def layer(self, build_id: int, date: dt.date) -> Layer | None:
        """The layer of `build_id` covering `date`, or None if that build has none."""
        key = (build_id, date)
        with self._lock:
            if key in self._layers:
                self._layers.move_to_end(key)
                return self._layers[key]
        found = (
            LayerSnapshot.objects.filter(build_id=build_id, valid_from__lte=date)
            .filter(Q(valid_to__gt=date) | Q(valid_to__isnull=True))
            .values_list("etag", "geojson")
            .first()
        )
        layer = Layer(found[0], bytes(found[1]), gzip.compress(bytes(found[1]), 6)) if found else None
        with self._lock:
            self._layers[key] = layer
            self._bytes += layer.size if layer else 0
            while self._bytes > settings.LAYER_CACHE_BYTES and self._layers:
                _, evicted = self._layers.popitem(last=False)
                self._bytes -= evicted.size if evicted else 0
        return layer

    def clear(self) -> None:
        with self._lock:
            self._theatres.clear()
            self._layers.clear()
            self._bytes = 0


layers = LayerCache()
