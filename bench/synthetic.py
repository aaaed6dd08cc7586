"""A seeded synthetic war at Syria scale, loaded through the same models and clipping as real data.

The theatre is the demo's Syria outline (about 185,000 km²). The baseline splits it among the
factions as Voronoi cells; then every day brings one or more control changes (areas log-uniform
between 1 and 2,000 km²; one day in twenty is an offensive with many changes by one side).
Events are points spread over the theatre and the whole period, inserted in date order.
"""

import datetime as dt
import json
import math
import random
from dataclasses import dataclass

import numpy as np
import shapely
from django.conf import settings
from django.contrib.gis.geos import Point as GeosPoint
from django.db import connection
from shapely.geometry import MultiPoint, Point, Polygon, shape

from conflictmap.atlas.models import Faction, Source, Theatre
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.territory.areas import clip_to_theatre, to_geos
from conflictmap.territory.models import ControlChange
from conflictmap.territory.stale import mark_dirty

SLUG = "synthetic-war"
START = dt.date(2012, 1, 1)
KM_PER_DEGREE = 111.32


@dataclass(frozen=True)
class Scale:
    days: int
    factions: int
    events: int
    seed: int = 1

    def as_dict(self) -> dict:
        return {"days": self.days, "factions": self.factions, "events": self.events, "seed": self.seed}


QUICK = Scale(days=365, factions=9, events=50_000)
FULL = Scale(days=8 * 365, factions=9, events=500_000)


def syria() -> Polygon:
    path = settings.FIXTURES_DIR / "geo" / "syria-admin0.geojson"
    return shape(json.loads(path.read_text())["features"][0]["geometry"])


def blob(rng: random.Random, centre: Point, area_km2: float) -> Polygon:
    """An irregular polygon of roughly `area_km2` around `centre`."""
    radius = math.sqrt(area_km2 / math.pi) / KM_PER_DEGREE
    scale_x = 1 / math.cos(math.radians(centre.y))
    count = rng.randint(7, 14)
    points = []
    for i in range(count):
        angle = 2 * math.pi * (i + rng.uniform(-0.3, 0.3)) / count
        r = radius * rng.uniform(0.7, 1.25)
        points.append((centre.x + r * math.cos(angle) * scale_x, centre.y + r * math.sin(angle)))
    return shapely.make_valid(Polygon(points))


def random_points(rng: random.Random, boundary: Polygon, count: int) -> np.ndarray:
    """`count` uniform random points inside `boundary`, as an (n, 2) array."""
    west, south, east, north = boundary.bounds
    shapely.prepare(boundary)
    generator = np.random.default_rng(rng.randrange(2**32))
    found = np.empty((0, 2))
    while len(found) < count:
        xy = generator.uniform((west, south), (east, north), size=(count * 2, 2))
        found = np.vstack([found, xy[shapely.contains_xy(boundary, xy[:, 0], xy[:, 1])]])
    return found[:count]


def generate_changes(scale: Scale, boundary: Polygon) -> list[tuple[dt.date, int, Polygon]]:
    """(date, faction index, area) in application order: the baseline, then daily changes."""
    rng = random.Random(scale.seed)
    seeds = random_points(rng, boundary, scale.factions)
    cells = shapely.voronoi_polygons(MultiPoint(seeds), extend_to=boundary.buffer(1))
    changes = []
    for cell in cells.geoms:
        holder = next(i for i, seed in enumerate(seeds) if cell.contains(Point(seed)))
        changes.append((START, holder, cell))
    centres = random_points(rng, boundary, scale.days * 4)
    used = 0
    for day in range(1, scale.days + 1):
        date = START + dt.timedelta(days=day)
        offensive = rng.random() < 0.05
        attacker = rng.randrange(scale.factions)
        for _ in range(rng.randint(5, 20) if offensive else rng.randint(1, 2)):
            centre = Point(centres[used % len(centres)])
            used += 1
            area = math.exp(rng.uniform(math.log(1), math.log(2000)))
            changes.append((date, attacker if offensive else rng.randrange(scale.factions), blob(rng, centre, area)))
    return changes


def load(scale: Scale, progress=print, slug: str = SLUG) -> Theatre:
    """Replace any earlier synthetic war with a new one of `scale`; layers are left to build.
    Under another `slug`, a second war beside the first (bench/theatres.py)."""
    if slug == SLUG and Theatre.objects.filter(slug=SLUG).exists():
        wipe()
    boundary = syria()
    theatre = Theatre.objects.create(
        slug=slug, name=f"Synthetic war ({slug})", start_date=START, boundary=to_geos(shapely.MultiPolygon([boundary]))
    )
    factions = [
        Faction.objects.update_or_create(
            slug=f"synthetic-{i}",
            defaults={"name": f"Faction {i}", "short_name": f"F{i}", "color": f"#{(i * 2654435761) % 0xFFFFFF:06x}"},
        )[0]
        for i in range(scale.factions)
    ]
    theatre.factions.add(*factions)
    changes = generate_changes(scale, boundary)
    rows = [
        ControlChange(
            theatre=theatre,
            date=date,
            controller=factions[holder],
            area=clip_to_theatre(to_geos(area), theatre.boundary).geometry,
            status=Status.PUBLISHED,
            external_id=f"{slug}-{n}",
        )
        for n, (date, holder, area) in enumerate(changes)
    ]
    ControlChange.objects.bulk_create(rows, batch_size=500)  # bulk_create skips save(): mark below
    mark_dirty(theatre.pk, START)
    progress(f"  {len(rows):,} control changes over {scale.days:,} days")
    load_events(theatre, scale, boundary, factions)
    progress(f"  {scale.events:,} events")
    with connection.cursor() as cursor:  # as autovacuum would, before anyone measures
        cursor.execute("VACUUM ANALYZE")
    return theatre


def load_events(theatre: Theatre, scale: Scale, boundary: Polygon, factions: list[Faction]) -> None:
    rng = random.Random(scale.seed + 1)
    source = Source.objects.create(title="Synthetic report", publisher="bench")
    types = Event.Type.values
    points = random_points(rng, boundary, scale.events)
    # Inserted in date order, as a newsroom enters them day by day: a month's events then
    # share table pages as in use (inserted in random order, a month's query read ~270 pages).
    days = sorted(rng.randrange(scale.days + 1) for _ in range(scale.events))
    batch = []
    for n, ((x, y), day) in enumerate(zip(points, days, strict=True)):
        batch.append(
            Event(
                theatre=theatre,
                date=START + dt.timedelta(days=day),
                title=f"Synthetic event {n}",
                type=rng.choice(types),
                location=GeosPoint(float(x), float(y), srid=4326),
                status=Status.PUBLISHED,
            )
        )
        if len(batch) == 10_000:
            Event.objects.bulk_create(batch)
            batch = []
    Event.objects.bulk_create(batch)
    Event.sources.through.objects.bulk_create(
        Event.sources.through(event_id=pk, source_id=source.pk)
        for pk in Event.objects.filter(theatre=theatre).values_list("pk", flat=True).iterator()
    )


def wipe() -> None:
    """Remove the synthetic theatre and everything that hangs off it: in the bench's own
    database, every theatre, by TRUNCATE … CASCADE. The ORM's deletes took 80 s to clear
    an 8-year war (500k events, millions of rows of layers) before a quick run."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {Theatre._meta.db_table} CASCADE")
    Source.objects.filter(publisher="bench").delete()
