"""The shared test world: a small toy theatre tiled by a few factions, plus the Syria demo.

The toy theatre is a 4° × 3° box with a western half held by "red" and an eastern half held
by "blue" from its start date. Its layers are built by the real build code.
"""

import datetime as dt
import os
import random
import uuid
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Polygon

from conflictmap.atlas.models import Faction, Source, Theatre
from conflictmap.celery import app as celery_app
from conflictmap.editorial.workflow import Status
from conflictmap.territory.areas import to_shapely
from conflictmap.territory.build.rebuild import rebuild
from conflictmap.territory.build.storage import layer_of
from conflictmap.territory.models import ControlChange, Holding, LayerSnapshot
from conflictmap.territory.serve.layer_cache import layers

pytest_plugins = ["tests.chromium", "tests.editors"]  # the browser tests' fixtures; the newsroom's people

START = dt.date(2020, 1, 1)

# Every task a test enqueues goes to a queue of this run's own, so a developer's running worker
# never picks up work that points at the test database. The pipeline tests' worker reads it.
TEST_QUEUE = f"conflictmap-test-{uuid.uuid4().hex[:12]}"
celery_app.conf.task_default_queue = TEST_QUEUE
# Redis keys of this run's own too, here and in the processes tests start (workers, servers): a
# flag an earlier run left (a history write asked for, of a theatre with the same id) is not seen.
settings.CACHES["default"]["KEY_PREFIX"] = os.environ["CACHE_KEY_PREFIX"] = TEST_QUEUE


def pytest_configure(config):
    """The static files collected (our scripts minified, conflictmap/http/static.py) before any
    page is served, and served as collected: the tests' pages get them as readers' do. Not from
    the sources: pytest-django's live server serves /static/ with staticfiles' handler, which
    reads the sources (the finders); Django's own test handler reads STATIC_ROOT."""
    from django.contrib.staticfiles import handlers
    from django.core.management import call_command
    from django.test.testcases import _StaticFilesHandler

    call_command("collectstatic", interactive=False, verbosity=0)
    handlers.StaticFilesHandler = _StaticFilesHandler  # type: ignore[misc]


@pytest.fixture(autouse=True)
def exports_dir(settings, tmp_path_factory):
    """The full-history files a test and its workers write go to a folder of the test's own."""
    settings.EXPORTS_DIR = tmp_path_factory.mktemp("exports")


def current_payloads(theatre):
    """(valid_from, valid_to, etag) of every current snapshot, each payload made first: equal
    lists mean equal bytes."""
    snapshots = LayerSnapshot.objects.filter(build__theatre=theatre, build__is_current=True).order_by("valid_from")
    return [
        (snapshot.valid_from, snapshot.valid_to, layer_of(LayerSnapshot.objects.filter(pk=snapshot.pk))[0])
        for snapshot in snapshots
    ]


def current_layers(theatre):
    """Every current snapshot as (valid_from, valid_to, {controller: (area, gained, lost)}),
    each a shapely geometry or None, with km² beside it."""

    def shape(geometry):
        return None if geometry is None else to_shapely(geometry)

    return [
        (snapshot.valid_from, snapshot.valid_to, {
            area.controller_id: (
                (to_shapely(area.holding.geom), area.holding.area_km2),
                (shape(area.gained), area.gained_km2),
                (shape(area.lost), area.lost_km2),
            ) for area in snapshot.areas.all()
        })
        for snapshot in LayerSnapshot.objects.filter(build__theatre=theatre, build__is_current=True)
        .order_by("valid_from").prefetch_related("areas__holding")
    ]  # fmt: skip


def assert_same_layers(a, b):
    """The same dates, controllers, areas, gains and losses: geometries equal up to slivers
    narrower than the build's grid (1e-6°), which different orders of overlays can leave."""
    assert [(start, end, set(areas)) for start, end, areas in a] == [
        (start, end, set(areas)) for start, end, areas in b
    ]
    for (start, _, first), (_, _, second) in zip(a, b, strict=True):
        for controller, pairs in first.items():
            for (one, one_km2), (other, other_km2) in zip(pairs, second[controller], strict=True):
                assert (one is None) == (other is None), (start, controller)
                assert one_km2 == pytest.approx(other_km2, rel=1e-6, abs=1e-6), (start, controller)
                if one is not None:
                    assert one.symmetric_difference(other).buffer(-1e-6).is_empty, (start, controller)


def rect(west, south, east, north) -> MultiPolygon:
    return MultiPolygon(Polygon.from_bbox((west, south, east, north)), srid=4326)


@dataclass
class World:
    theatre: Theatre
    red: Faction
    blue: Faction
    green: Faction
    source: Source

    def change(self, date, controller, area, status=Status.PUBLISHED, **fields) -> ControlChange:
        change = ControlChange.objects.create(
            theatre=self.theatre, date=date, controller=controller, area=area, status=status, **fields
        )
        change.sources.add(self.source)
        return change

    def random_changes(self, seed: int, count: int, every_days: int, smallest: float) -> None:
        """`count` published changes, one every `every_days`, each a random rectangle (sides from
        `smallest` to 1°) given to a random side: a history to check answers against the layers."""
        rng = random.Random(seed)
        for day in range(1, count + 1):
            west, south = rng.uniform(10, 13), rng.uniform(10, 12)
            side = rng.choice([self.red, self.blue, self.green])
            area = rect(west, south, west + rng.uniform(smallest, 1), south + rng.uniform(smallest, 1))
            self.change(START + dt.timedelta(days=day * every_days), side, area)

    def build(self, **options):
        """Rebuild, and check what no database constraint does: every stored holding is valid."""
        built = rebuild(self.theatre.pk, **options)
        invalid = Holding.objects.filter(theatre=self.theatre).exclude(geom__isvalid=True)
        assert not invalid.exists(), [(row.pk, row.controller_id) for row in invalid]
        return built


@pytest.fixture(autouse=True)
def fresh_layer_cache(settings):
    """Each test starts with an empty layer cache that re-reads the current build every time;
    test_layer_cache.py covers the time-to-live itself."""
    settings.LAYER_CURRENT_TTL = 0
    settings.RESPONSE_CACHE_SECONDS = 0  # tests/test_response_cache.py turns it on
    layers.clear()
    yield
    layers.clear()


@pytest.fixture
def world(db) -> World:
    theatre = Theatre.objects.create(slug="toyland", name="Toyland", start_date=START, boundary=rect(10, 10, 14, 13))
    factions = [
        Faction.objects.create(slug=slug, name=slug.title(), short_name=slug[:3].upper(), color=color)
        for slug, color in [("red", "#d62728"), ("blue", "#1f77b4"), ("green", "#2ca02c")]
    ]
    theatre.factions.add(*factions)
    source = Source.objects.create(title="Toyland Gazette", publisher="Toy Press", published_on=START)
    world = World(theatre, *factions, source)
    world.change(START, world.red, rect(9, 9, 15, 14))
    world.change(START, world.blue, rect(12, 9, 15, 14))
    world.build()
    return world
