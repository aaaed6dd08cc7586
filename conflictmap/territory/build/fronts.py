"""Storing front lines: the shared edge of each pair of holdings that meet, once per pair.

A snapshot is a set of holdings (territory.build.storage), most of them shared with the dates
around it and with earlier builds. The line where two areas meet depends on those two areas
alone, so it is stored per pair of holdings (Front) and every snapshot holding the pair shares
it: a date that changes one controller's area adds only that holding's pairs, and an edit adds
only the pairs of the holdings it makes (a spliced date's untouched holdings keep theirs).
Which of those edges are fronts (opposing sides) is decided when served (territory.serve.fronts).

The latest date's pairs are stored when a build is swapped in (territory.build.swap); any other
date's the first time it is asked for (`ensure_fronts`: the API, a tile), as its payload is.
Storing every date's in the build's chunks was measured on the 8-year bench war: 3.4 ms a pair
and about 22 pairs a date (each date's changed holdings against their neighbours), some 220 s
on top of a 154 s full rebuild, and every pair's whole line written again for each new
holding; a reader asks for a few dates. A first request of an 8-year date makes its 20 to 40
new pairs in about a second; a date whose holdings it shares with dates asked before, fewer.
"""

import numpy as np
import psycopg
import shapely
from django.db import connection

from conflictmap.lib.fronts import Outline, outline, shared_edge
from conflictmap.lib.geodesy import length_km
from conflictmap.territory.build.storage import AREAS, FRONTS, HOLDINGS

# The pairs of areas of these snapshots that have no Front row yet: two controllers' holdings
# of one snapshot (no data is never on a front), the lower holding id first, with overlapping
# bounding boxes (PostGIS keeps a large geometry's box in its header: no geometry is read).
MISSING_SQL = f"""
SELECT DISTINCT x.holding_id, y.holding_id, hx.geom && hy.geom
FROM {AREAS} x JOIN {AREAS} y ON y.snapshot_id = x.snapshot_id AND y.holding_id > x.holding_id
JOIN {HOLDINGS} hx ON hx.id = x.holding_id JOIN {HOLDINGS} hy ON hy.id = y.holding_id
WHERE x.snapshot_id = ANY(%s) AND x.controller_id IS NOT NULL AND y.controller_id IS NOT NULL
AND NOT EXISTS (SELECT 1 FROM {FRONTS} f WHERE f.one_id = x.holding_id AND f.other_id = y.holding_id)
"""
GEOMETRIES_SQL = f"SELECT id, ST_AsBinary(geom) FROM {HOLDINGS} WHERE id = ANY(%s)"
INSERT_SQL = f"""
INSERT INTO {FRONTS} (theatre_id, one_id, other_id, geom, km)
VALUES (%s, %s, %s, ST_SetSRID(ST_GeomFromWKB(%s), 4326), %s) ON CONFLICT (one_id, other_id) DO NOTHING
"""


def ensure_fronts(theatre_id: int, snapshot_ids: list[int]) -> int:
    """Store the shared edge of every pair of holdings of these snapshots not stored yet;
    returns how many pairs were computed.

    1. Find the missing pairs (MISSING_SQL); pairs whose boxes do not overlap meet nowhere.
    2. Read each holding of the others once, and make its outline once (lib.fronts.outline).
    3. Store each pair's edge (NULL where they do not meet along a line) and its km. Two
       processes storing the same pair at once store the same row: the second is skipped.
    """
    if not snapshot_ids:
        return 0
    with connection.cursor() as cursor:
        cursor.execute(MISSING_SQL, [snapshot_ids])
        missing = cursor.fetchall()
    if not missing:
        return 0
    meeting = [(one, other) for one, other, near in missing if near]
    outlines = read_outlines(sorted({holding for pair in meeting for holding in pair}))
    rows = [(one, other, None, 0.0) for one, other, near in missing if not near]
    for one, other in meeting:
        edge = shared_edge(outlines[one], outlines[other])
        wkb = None if edge.is_empty else shapely.to_wkb(edge)
        rows.append((one, other, wkb, length_km(edge)))
    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:  # binary WKB parameters, as storage does
        cursor.executemany(INSERT_SQL, [(theatre_id, *row) for row in rows])
    return len(rows)


def read_outlines(holdings: list[int], batch: int = 50) -> dict[int, Outline]:
    """Each holding's outline, read `batch` at a time (at 8 years a holding is about 85 KB)."""
    outlines: dict[int, Outline] = {}
    for start in range(0, len(holdings), batch):
        with connection.cursor() as cursor:
            cursor.execute(GEOMETRIES_SQL, [holdings[start : start + batch]])
            found = cursor.fetchall()
        geometries = shapely.from_wkb(np.array([bytes(wkb) for _, wkb in found], dtype=object))
        for (pk, _), geometry in zip(found, geometries, strict=True):
            outlines[pk] = outline(geometry)
    return outlines
