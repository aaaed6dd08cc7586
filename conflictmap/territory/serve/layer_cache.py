"""Process-local cache in front of the stored layers: a hot layer costs no database round trip.

Used by territory.serve.api.control. A layer is cached under (build, date, detail), with its gzip encoding
made once. Which build is current is re-read from the database at most every
settings.LAYER_CURRENT_TTL seconds per theatre, so a new build reaches every web process within
that time (an edit should reach readers within a second). Old builds' entries age out of the LRU.
"""

import datetime as dt
import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from django.conf import settings

from conflictmap.atlas.models import Theatre
from conflictmap.territory.build.overview import overview_of, small_of
from conflictmap.territory.build.storage import layer_of
from conflictmap.territory.models import LayerBuild, LayerHead, LayerSnapshot
from conflictmap.territory.serve.citable import citable

FULL, OVERVIEW, SMALL = "full", "overview", "small"  # the levels of detail a layer is served at


@dataclass(frozen=True)
class CurrentLayers:
    """Which build and head of a theatre readers get, as this process last read it (not to be
    confused with the LayerState model, which says what the builds must catch up with)."""

    theatre: Theatre
    build: tuple[int, int] | None  # (id, data version) of the current build
    head: tuple[int, dt.date] | None  # (data version, valid_from) of the head, when newer than the build
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
        self._theatres: dict[str, CurrentLayers] = {}
        self._layers: OrderedDict[tuple, Layer] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def theatre(self, slug: str, *, fresh: bool = False) -> CurrentLayers | None:
        """The theatre, its current build and head, as of at most LAYER_CURRENT_TTL seconds ago
        (`fresh`: as of now)."""
        current = self._theatres.get(slug)
        if fresh or current is None or time.monotonic() - current.read_at >= settings.LAYER_CURRENT_TTL:
            theatre = Theatre.objects.filter(slug=slug).first()
            if theatre is None:
                return None
            build = LayerBuild.objects.filter(theatre=theatre, is_current=True).values_list("pk", "version").first()
            head = LayerHead.objects.filter(theatre=theatre).values_list("version", "valid_from").first()
            if head and build and head[0] <= build[1]:
                head = None  # the build has caught up with it
            current = self._theatres[slug] = CurrentLayers(theatre, build, head, time.monotonic())
        return current

    def pinned(self, slug: str, number: int) -> CurrentLayers | None:
        """The theatre with its build of this number as if it were current (no head): a pinned
        build, which never changes, or the current one (territory/serve/citable.py)."""
        key = f"{slug}@{number}"
        found = self._theatres.get(key)
        if found is None or time.monotonic() - found.read_at >= settings.LAYER_CURRENT_TTL:
            theatre = Theatre.objects.filter(slug=slug).first()
            build = citable(theatre.pk, number) if theatre else None
            if theatre is None or build is None:
                return None
            found = self._theatres[key] = CurrentLayers(theatre, (build.pk, build.version), None, time.monotonic())
        return found

    def layer_for(self, slug: str, date: dt.date, detail: str = FULL) -> tuple[CurrentLayers | None, Layer | None]:
        """The theatre's current layers and its layer for `date`. A build or head that the cached
        CurrentLayers names may have been replaced since: then they are read afresh and asked again."""
        current = self.theatre(slug)
        layer = self.layer_at(current, date, detail) if current else None
        if current and layer is None and time.monotonic() - current.read_at > 0:
            current = self.theatre(slug, fresh=True)
            layer = self.layer_at(current, date, detail) if current else None
        return current, layer

    def layer_at(self, current: CurrentLayers, date: dt.date, detail: str = FULL) -> Layer | None:
        """The layer readers get for `date`: the head from its date on, else the current build's.
        `detail`: FULL (every vertex), OVERVIEW or SMALL (country views, territory/build/overview.py)."""
        if current.head and date >= current.head[1]:
            theatre_id, version = current.theatre.pk, current.head[0]

            def head():
                return LayerHead.objects.filter(theatre_id=theatre_id, version=version)

            if detail != FULL:
                # The worker generalises the head right after storing it (territory.build.head): until
                # then, the country view is the full head, right if heavier, and not cached.
                made = overview_of if detail == OVERVIEW else small_of
                found = self._cached(("head", theatre_id, version, detail), lambda: made(head(), make=False))
                if found is not None:
                    return found
            return self._cached(("head", theatre_id, version, FULL), lambda: layer_of(head()))
        if current.build is None:
            return None
        build_id = current.build[0]
        # The queryset is made only on a miss: a hit must cost no more than a dict lookup.
        return self._cached(
            (build_id, date, detail),
            lambda: stored_layer(LayerSnapshot.objects.filter(build_id=build_id).covering(date), detail),
        )

    def build_payload(self, build_id: int | None, field: str) -> Layer | None:
        """A payload stored on a build (pieces_geojson, history_json), with an ETag."""
        if build_id is None:
            return None
        return self._cached(
            (field, build_id),
            lambda: (None, LayerBuild.objects.filter(pk=build_id).values_list(field, flat=True).first()),
        )

    def _cached(self, key: tuple, load) -> Layer | None:
        """The cached layer under `key`, or the (etag, bytes) that `load()` returns made one
        (etag None: a hash of the bytes)."""
        with self._lock:
            if key in self._layers:
                self._layers.move_to_end(key)
                return self._layers[key]
        found = load()
        if not (found and found[1]):
            return None  # not cached: the build may be replaced, or its dates may change
        payload = bytes(found[1])
        layer = Layer(found[0] or hashlib.sha256(payload).hexdigest()[:32], payload, gzip.compress(payload, 6))
        with self._lock:
            if key not in self._layers:  # another thread may have filled it meanwhile
                self._layers[key] = layer
                self._bytes += layer.size
            while self._bytes > settings.LAYER_CACHE_BYTES and self._layers:
                _, evicted = self._layers.popitem(last=False)
                self._bytes -= evicted.size
        return layer

    def clear(self) -> None:
        with self._lock:
            self._theatres.clear()
            self._layers.clear()
            self._bytes = 0


def stored_layer(rows, detail: str) -> tuple[str, bytes] | None:
    """(etag, bytes) of the snapshot `rows` holds first, at `detail`."""
    return {FULL: layer_of, OVERVIEW: overview_of, SMALL: small_of}[detail](rows)


layers = LayerCache()
