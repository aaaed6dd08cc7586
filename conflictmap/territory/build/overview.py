"""The country-view payloads of a layer: the same features, generalised (lib.generalize), for a
map about 600 pixels across (the overview) and for a small one (an embed, a phone).

The full layer keeps every vertex (for analysis, and for the detail the vector tiles give past
zoom 9); a map of a whole country needs about a pixel's precision. Made from the full payload's
bytes, so snapshots and the head are handled alike, and stored beside them the first time it is
asked for (the latest layer's at build time), so each one is generalised once.
"""

import json

import numpy as np
import shapely

from conflictmap.lib.generalize import PIXELS_ACROSS, SMALL_PIXELS_ACROSS, decimals_for, overview
from conflictmap.territory.build.payloads import geometry_json
from conflictmap.territory.build.storage import layer_of

OVERVIEW_ETAG_SUFFIX = "-overview"  # an overview's ETag is its full layer's, with this
SMALL_ETAG_SUFFIX = "-small"  # a small one's, its overview's with this


def overview_payload(full: bytes, pixels_across: int = PIXELS_ACROSS, name: str = "overview") -> bytes:
    """The FeatureCollection `full` with each feature's geometry generalised for a map
    `pixels_across` wide (its `detail`: `name`); features keep their properties (areas are the
    full layer's). A controller whose polygons are all too small to see keeps its feature, with
    a null geometry, so the legend still lists it."""
    collection = json.loads(full)
    features = collection.pop("features")
    shapes = [shapely.from_geojson(json.dumps(feature["geometry"])) for feature in features]
    texts = []
    # Within a tenth of a pixel: 3 decimals for Syria (a step of 110 m), a fifth fewer bytes
    # gzipped than the 4 of before (83 to 67 KB for the 8-year bench's latest date); the small
    # view within half its pixel (2 decimals: every embed loads it first).
    shown = [shape for shape in shapes if not shape.is_empty] or [shapely.Point(0, 0)]
    decimals = decimals_for(shown, pixels_across, 1 if pixels_across == SMALL_PIXELS_ACROSS else 5)
    for feature, shape in zip(features, overview(shapes, pixels_across), strict=True):
        rounded = shapely.transform(shape, lambda coords: np.round(coords, decimals))
        geometry = geometry_json(rounded) if not rounded.is_empty else "null"
        properties = json.dumps(feature["properties"], ensure_ascii=False, separators=(",", ":"))
        texts.append(f'{{"type":"Feature","geometry":{geometry},"properties":{properties}}}')
    head = json.dumps({**collection, "detail": name}, ensure_ascii=False, separators=(",", ":"))
    return f'{head[:-1]},"features":[{",".join(texts)}]}}'.encode()


def overview_of(rows, *, make: bool = True) -> tuple[str, bytes] | None:
    """(etag, bytes) of the overview of the layer `rows` (LayerSnapshot or LayerHead rows)
    holds first; made from its full layer and stored the first time, for every process (not
    `make`: None until it is stored). Once stored, the full layer is not read at all."""
    found = rows.values_list("etag", "overview").first()
    if found is None:
        return None
    etag, stored = found
    if stored is None and not make:
        return None
    if stored is None:
        full = layer_of(rows)  # made first if need be: the overview's ETag is the full layer's
        if full is None:
            return None
        etag, payload = full
        stored = overview_payload(payload)
        rows.filter(overview__isnull=True).update(overview=stored)
    return f"{etag}{OVERVIEW_ETAG_SUFFIX}", bytes(stored)


def small_of(rows, *, make: bool = True) -> tuple[str, bytes] | None:
    """(etag, bytes) of the small country view of the layer `rows` holds first: its overview
    generalised again for a map SMALL_PIXELS_ACROSS wide (an embed in an article's column, a
    phone), 39 KB gzipped instead of 67 at 8 years. Not stored: about 120 ms from the overview,
    made once per process and date by the layer cache (territory/serve/layer_cache.py)."""
    found = overview_of(rows, make=make)
    if found is None:
        return None
    etag, payload = found
    return f"{etag}{SMALL_ETAG_SUFFIX}", overview_payload(payload, SMALL_PIXELS_ACROSS, "small")
