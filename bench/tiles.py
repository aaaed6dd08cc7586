"""Vector tile latency by zoom: the first request of a tile (cut by PostGIS, then cached in
Redis), the same tile again, and the raw ST_AsMVT query through psycopg with no HTTP."""

import math
import random
import statistics
import time

from django.contrib.gis.geos import Point
from django.db import connection

from bench.processes import fetch
from conflictmap.territory.serve.tiles import TILE_SQL, tile_parameters


def tile_at(lng: float, lat: float, z: int) -> tuple[int, int]:
    """The (x, y) of the web-mercator tile of zoom `z` holding the point."""
    n = 2**z
    x = int((lng + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


def tiles_in(boundary, z: int, count: int, rng: random.Random) -> list[tuple[int, int]]:
    """Up to `count` distinct tiles of zoom `z` around random points of `boundary`."""
    west, south, east, north = boundary.extent
    found: list[tuple[int, int]] = []
    for _ in range(count * 50):
        point = Point(rng.uniform(west, east), rng.uniform(south, north), srid=4326)
        if boundary.contains(point) and (tile := tile_at(point.x, point.y, z)) not in found:
            found.append(tile)
            if len(found) == count:
                break
    return found


def latencies(base: str, snapshot, zooms, per_zoom: int) -> dict:
    """p50 milliseconds and bytes of tiles of `snapshot`'s date, per zoom (flat keys)."""
    theatre = snapshot.build.theatre
    rng = random.Random(5)
    results = {}
    for z in zooms:
        miss: list[float] = []
        hit: list[float] = []
        raw: list[float] = []
        sizes: list[int] = []
        for x, y in tiles_in(theatre.boundary, z, per_zoom, rng):
            url = f"{base}/tiles/{theatre.slug}/{snapshot.valid_from}/{z}/{x}/{y}.mvt"
            for timings in (miss, hit):
                started = time.perf_counter()
                status, body, _ = fetch(url)
                timings.append(1000 * (time.perf_counter() - started))
                assert status == 200, (url, status)
            sizes.append(len(body))
            with connection.cursor() as cursor:
                started = time.perf_counter()
                cursor.execute(TILE_SQL, tile_parameters(snapshot.pk, z, x, y))
                cursor.fetchone()
                raw.append(1000 * (time.perf_counter() - started))
        for kind, timings in (("miss", miss), ("hit", hit), ("raw", raw)):
            results[f"tile_z{z}_{kind}_p50_ms"] = statistics.median(timings)
        results[f"tile_z{z}_bytes_p50"] = statistics.median(sizes)
    return results
