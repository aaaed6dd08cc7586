"""Vector tiles (MVT) of the control layer at a date, cut by PostGIS from the built snapshot.

GET /tiles/<theatre>/<date>/<z>/<x>/<y>.mvt. A tile is computed once per snapshot and then
served from the Redis cache for TILE_CACHE_SECONDS, keyed by the snapshot's id (so a rebuild
never serves a stale tile) and by the response cache's all-theatres generation, which a
faction's save bumps (a new colour, name or coalition, and so other fronts, shows at once).
The layer "control" has a feature per controller, with faction, name, color and area_km2; the
layer "fronts" a line per pair of opposing controllers that meet (their shared edge,
territory.serve.fronts), with `sides`, the two sides' slugs joined by "|".
"""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse

from conflictmap.atlas.models import Faction
from conflictmap.http import response_cache
from conflictmap.lib.fronts import opposed
from conflictmap.lib.partition import NO_DATA_COLOR, NO_DATA_NAME
from conflictmap.territory.build.fronts import ensure_fronts
from conflictmap.territory.build.payloads import sides_of
from conflictmap.territory.build.storage import AREAS, FRONTS
from conflictmap.territory.models import LayerSnapshot
from conflictmap.territory.serve.layer_cache import layers

EXTENT = 4096
MAX_ZOOM = 16
# 1. The snapshot's few areas first, each holding then fetched by id (MATERIALIZED and OFFSET 0
#    keep the planner from starting with the holdings GiST index: every holding of every date
#    spans the country, so that walked all of them, 14,000 at 8 years, for every tile).
# 2. Each holding clipped to the tile, with more margin than the MVT buffer, before it is
#    projected: a high-zoom tile then projects a few vertices instead of the whole country.
# Measured at 8 years (bench/tiles.py, raw query): zoom 10 and 14 50 -> 12 ms, zoom 6 77 -> 40 ms.
TILE_SQL = """
WITH bounds AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS tile,
           ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 128.0 / %(extent)s), 4326) AS near
), areas AS MATERIALIZED (
    SELECT controller_id, holding_id FROM territory_controlarea WHERE snapshot_id = %(snapshot)s
)
SELECT ST_AsMVT(features, 'control', %(extent)s, 'geom') FROM (
    SELECT ST_AsMVTGeom(ST_Transform(ST_ClipByBox2D(holding.geom, bounds.near), 3857), bounds.tile, %(extent)s, 64,
                        true) AS geom,
           faction.slug AS faction, COALESCE(faction.name, %(no_data_name)s) AS name,
           COALESCE(faction.color, %(no_data_color)s) AS color, round(holding.area_km2::numeric, 1)::float AS area_km2
    FROM areas
    CROSS JOIN LATERAL (SELECT geom, area_km2 FROM territory_holding WHERE id = areas.holding_id OFFSET 0) holding
    LEFT JOIN atlas_faction faction ON faction.id = areas.controller_id, bounds
    WHERE holding.geom && bounds.near
) features
"""


# The snapshot's shared edges of opposing controllers (pairs as territory.serve.fronts decides them,
# passed as arrays), clipped to the tile as the areas are.
FRONTS_TILE_SQL = f"""
WITH bounds AS (
    SELECT ST_TileEnvelope(%(z)s, %(x)s, %(y)s) AS tile,
           ST_Transform(ST_TileEnvelope(%(z)s, %(x)s, %(y)s, margin => 128.0 / %(extent)s), 4326) AS near
), edges AS MATERIALIZED (
    SELECT x.controller_id AS one, y.controller_id AS other, front.geom
    FROM {AREAS} x JOIN {AREAS} y ON y.snapshot_id = x.snapshot_id AND y.holding_id > x.holding_id
    JOIN {FRONTS} front ON front.one_id = x.holding_id AND front.other_id = y.holding_id
    WHERE x.snapshot_id = %(snapshot)s AND front.geom IS NOT NULL
)
SELECT ST_AsMVT(features, 'fronts', %(extent)s, 'geom') FROM (
    SELECT ST_AsMVTGeom(ST_Transform(ST_ClipByBox2D(edges.geom, bounds.near), 3857), bounds.tile, %(extent)s, 64,
                        true) AS geom, opposing.sides
    FROM edges JOIN unnest(%(ones)s::bigint[], %(others)s::bigint[], %(sides)s::text[]) AS opposing(one, other, sides)
    ON opposing.one = edges.one AND opposing.other = edges.other, bounds
    WHERE edges.geom && bounds.near
) features
"""


def opposing(theatre_id: int, snapshot: int) -> dict:
    """FRONTS_TILE_SQL's pairs: each pair of the snapshot's controllers on opposing sides, both
    ways round, with their sides' slugs; its pairs of holdings' edges stored first if need be."""
    ensure_fronts(theatre_id, [snapshot])
    controllers = list(LayerSnapshot.objects.filter(pk=snapshot, areas__controller__isnull=False)
                       .values_list("areas__controller", flat=True))  # fmt: skip
    factions = Faction.objects.in_bulk()
    sides = sides_of(factions, controllers)
    pairs = [(a, b, f"{factions[sides[a]].slug}|{factions[sides[b]].slug}")
             for a in controllers for b in controllers if opposed(sides[a], sides[b])]  # fmt: skip
    return {"ones": [a for a, _, _ in pairs], "others": [b for _, b, _ in pairs], "sides": [s for _, _, s in pairs]}


def tile_parameters(snapshot: int, z: int, x: int, y: int) -> dict:
    """TILE_SQL's parameters; "no data" is named and coloured as in every other layer (payloads)."""
    return {"z": z, "x": x, "y": y, "extent": EXTENT, "snapshot": snapshot,
            "no_data_name": NO_DATA_NAME, "no_data_color": NO_DATA_COLOR}  # fmt: skip


def tile(request, theatre: str, date: str, z: int, x: int, y: int) -> HttpResponse:
    """One MVT tile; 404 for a date, zoom or tile outside what exists."""
    try:
        day = dt.date.fromisoformat(date)
    except ValueError:
        raise Http404("Dates are YYYY-MM-DD.") from None
    if not (0 <= z <= MAX_ZOOM and 0 <= x < 2**z and 0 <= y < 2**z):
        raise Http404(f"No tile {z}/{x}/{y}: zoom runs from 0 to {MAX_ZOOM}.")
    current = layers.theatre(theatre)
    if current is None or current.build is None or day < current.theatre.start_date:
        raise Http404("No control layer for this theatre and date.")
    snapshot = (
        LayerSnapshot.objects.filter(build_id=current.build[0]).covering(day).values_list("pk", flat=True).first()
    )
    if snapshot is None:
        raise Http404("No control layer for this theatre and date.")
    _, factions = response_cache.generation(current.theatre.pk)
    key = f"tile:{snapshot}:{factions}:{z}:{x}:{y}"  # snapshot ids are never reused: a rebuild writes new rows
    payload = cache.get(key)
    if payload is None:
        parameters = tile_parameters(snapshot, z, x, y)
        with connection.cursor() as cursor:
            cursor.execute(TILE_SQL, parameters)
            payload = bytes(cursor.fetchone()[0] or b"")
            cursor.execute(FRONTS_TILE_SQL, {**parameters, **opposing(current.theatre.pk, snapshot)})
            payload += bytes(cursor.fetchone()[0] or b"")  # a tile is its layers one after the other
        cache.set(key, payload, timeout=settings.TILE_CACHE_SECONDS)
    response = HttpResponse(payload, content_type="application/vnd.mapbox-vector-tile")
    response["ETag"] = f'"{snapshot}-{factions}-{z}-{x}-{y}"'
    response["Cache-Control"] = "public, max-age=60"
    response["Access-Control-Allow-Origin"] = "*"  # for newsrooms' own map clients
    return response
