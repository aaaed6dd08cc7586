"""Run the benchmarks: `python -m bench.run --quick` (under 3 minutes) or `python -m bench.run`.

Works in its own database (conflictmap_bench on the DATABASE_URL server) and Celery queue, so a
developer's data and worker are untouched. Every speed figure comes with the baselines measured
in the same run, so ratios hold whatever else the machine is doing. Results: bench/results/.
"""

import argparse
import datetime as dt
import gzip
import json
import os
import platform
import random
import statistics
import time
import urllib.parse
from pathlib import Path

import shapely
from shapely.geometry import Point

from bench.table import TILE_ZOOMS, report

RESULTS = Path(__file__).resolve().parent / "results"
QUEUE = "conflictmap-bench"


def configure(database: str = "conflictmap_bench") -> None:
    """Point Django at the bench database (created if missing) before it starts."""
    url = urllib.parse.urlsplit(os.getenv("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/conflictmap"))
    os.environ["DATABASE_URL"] = urllib.parse.urlunsplit(url._replace(path=f"/{database}"))
    os.environ["CELERY_QUEUE"] = QUEUE
    os.environ["DEFAULT_THEATRE"] = "synthetic-war"
    # Cached API answers of this run only: a war regenerated under the same ids must not be
    # answered from a previous run's Redis entries (bulk loads bump no cache generation).
    os.environ["CACHE_KEY_PREFIX"] = f"bench-{os.getpid()}-{time.time_ns()}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conflictmap.settings")
    import psycopg

    admin = urllib.parse.urlunsplit(url._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone():
            connection.execute(f'CREATE DATABASE "{database}"')
    import django

    django.setup()


def say(message: str) -> None:
    print(message, flush=True)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[int(fraction * (len(ordered) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a one-year war and 50k events, under 3 minutes")
    options = parser.parse_args()
    configure()

    from django.core.management import call_command

    from bench import analysis, baselines, browser, cards, load, processes, synthetic, tiles
    from conflictmap.territory.build.overview import overview_of
    from conflictmap.territory.models import LayerSnapshot

    scale = synthetic.QUICK if options.quick else synthetic.FULL
    seconds = 2 if options.quick else 4  # per load-generator run
    # Alternating runs of the layer and of its baseline: one pair of 2 s runs varies 0.8-1.0 here.
    load_rounds = 7
    results: dict = {"scale": scale.as_dict(), "run_on": dt.date.today().isoformat(), "cpus": os.cpu_count(),
                     "python": platform.python_version()}  # fmt: skip

    say("Migrating the bench database...")
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # nginx serves them, as deployed
    say(f"Generating a synthetic war: {scale.days} days, {scale.factions} factions, {scale.events:,} events...")
    started = time.monotonic()
    theatre = synthetic.load(scale, progress=say)
    results["generate_s"] = time.monotonic() - started
    results["changes"] = theatre.changes.count()

    results.update(measure_rebuilds(theatre))
    snapshots = LayerSnapshot.objects.filter(build__theatre=theatre, build__is_current=True).order_by("valid_from")
    latest = snapshots.last()
    middle = snapshots[snapshots.count() // 2]
    results["snapshots"] = snapshots.count()

    say("Baselines in process: naive PostGIS, Django serializers, raw psycopg...")
    results["naive_layer_s"] = statistics.median(
        baselines.naive_layer_seconds(theatre.pk, latest.valid_from) for _ in range(3)
    )
    results["django_serializer_ms"] = 1000 * statistics.median(
        baselines.django_serializer_seconds(latest) for _ in range(5)
    )
    results["drf_gis_serializer_ms"] = 1000 * statistics.median(baselines.drf_gis_seconds(latest) for _ in range(5))
    results["raw_psycopg_geojson_ms"] = 1000 * statistics.median(
        baselines.raw_geojson_seconds(latest) for _ in range(5)
    )

    results["full_layer_gzip_bytes"] = len(gzip.compress(bytes(latest.geojson), 6))
    say("Country views (overviews) of the latest and of random dates...")

    def overview(snapshot) -> bytes:
        found = overview_of(LayerSnapshot.objects.filter(pk=snapshot.pk))
        assert found is not None
        return found[1]

    first_view = overview(latest)  # made at build time
    results["first_view_raw_bytes"] = len(first_view)
    results["first_view_gzip_bytes"] = len(gzip.compress(first_view, 6))
    sizes, timings = [], []
    for snapshot in snapshots.filter(overview__isnull=True).order_by("?")[:10]:
        started = time.perf_counter()
        made = overview(snapshot)
        timings.append(1000 * (time.perf_counter() - started))
        sizes.append(len(gzip.compress(made, 6)))
    if sizes:
        results["overview_gzip_max_bytes"] = max(sizes)
        results["overview_make_p50_ms"] = statistics.median(timings)
    build = snapshots.last().build
    results["pieces_gzip_bytes"] = len(gzip.compress(bytes(build.pieces_geojson), 6))
    results["history_gzip_bytes"] = len(gzip.compress(bytes(build.history_json), 6))

    with processes.site() as (base, direct):
        layer_url = f"{base}/api/v1/control/?theatre={synthetic.SLUG}&date={latest.valid_from}"
        say("Load: layer at date (server cache hit) against the bare-Django limit, in alternating rounds...")
        rounds = processes.hit_rounds(layer_url, f"{base}/bench/bare/", seconds, load_rounds)
        results["layer_hit_vs_bare"] = rounds["ratio"]
        hit, bare = rounds["hit"], rounds["bare"]
        results.update({
            "layer_hit_rps": hit["rps"], "layer_hit_p50_ms": hit["p50_ms"], "layer_hit_p95_ms": hit["p95_ms"],
            "layer_hit_p99_ms": hit["p99_ms"], "bare_django_rps": bare["rps"], "bare_django_p50_ms": bare["p50_ms"],
            "load_rounds": load_rounds,
        })  # fmt: skip
        # One request at a time, as the naive baseline is timed: under load, latency is mostly
        # queueing (16 connections on 2 cores), and even bare Django's would cap the ratio.
        results["layer_hit_one_client_p50_ms"] = processes.wrk(layer_url, seconds, connections=1)["p50_ms"]
        say("Load: layer at a different date each request (cache miss)...")
        misses = []
        for snapshot in snapshots.order_by("?")[:30]:
            started = time.perf_counter()
            processes.fetch(f"{base}/api/v1/control/?theatre={synthetic.SLUG}&date={snapshot.valid_from}")
            misses.append(1000 * (time.perf_counter() - started))
        results["layer_miss_p50_ms"] = statistics.median(misses)
        dates = [day.isoformat() for day in snapshots.values_list("valid_from", flat=True)]
        random.Random(3).shuffle(dates)
        miss = processes.wrk(base, seconds, paths=[
            f"/api/v1/control/?theatre={synthetic.SLUG}&date={day}" for day in dates
        ])  # fmt: skip
        results.update({"layer_miss_rps": miss["rps"], "layer_miss_load_p50_ms": miss["p50_ms"],
                        "layer_miss_load_p99_ms": miss["p99_ms"]})  # fmt: skip

        say("Tiles by zoom: first request (cut by PostGIS), again (from Redis), raw ST_AsMVT via psycopg...")
        results.update(tiles.latencies(base, latest, zooms=TILE_ZOOMS, per_zoom=5 if options.quick else 10))

        say("Social image (card) of the latest date: drawn on a miss, then from the cache...")
        results.update(cards.measure(latest, base=base))

        say("Events: bbox plus one month...")

        def month_in_a_square(rng: random.Random) -> str:
            west, south = rng.uniform(36, 41), rng.uniform(32.5, 36)
            month = synthetic.START + dt.timedelta(days=rng.randrange(scale.days - 31))
            return urllib.parse.urlencode({
                "theatre": synthetic.SLUG, "bbox": f"{west},{south},{west + 1},{south + 1}",
                "from": month.isoformat(), "to": (month + dt.timedelta(days=31)).isoformat(),
            })  # fmt: skip

        # Warm each gunicorn worker's path for such queries (its first pays for its connection
        # and first execution), on other squares and months than those timed.
        warm = random.Random(70)
        for _ in range(8):
            processes.fetch(f"{base}/api/v1/events/?{month_in_a_square(warm)}")
        rng = random.Random(7)
        timings = []
        for _ in range(40):
            query = month_in_a_square(rng)
            started = time.perf_counter()
            status, _, _ = processes.fetch(f"{base}/api/v1/events/?{query}")
            timings.append(1000 * (time.perf_counter() - started))
            assert status == 200, status
        results["events_query_p50_ms"] = statistics.median(timings)
        results["events_query_p95_ms"] = percentile(timings, 0.95)

        say(f"Who held a spot (control/at): {analysis.ROUNDS} random spots and dates, one at a time...")
        results.update(analysis.measure(base, theatre))
        say(f"Two dates compared (compare): {analysis.ROUNDS} random pairs never asked before, one at a time...")
        results.update(analysis.measure_compare(base, theatre))

        say(f"A server that holds: {load.IDLE} idle half-sent requests, then 200 clients at once...")
        hit_path = f"/api/v1/control/?theatre={synthetic.SLUG}&date={latest.valid_from}"
        results.update(load.slow_clients(base, direct, hit_path))
        results.update(load.many_clients(base, 60, [  # the minute, in both runs
            f"/api/v1/control/?theatre={synthetic.SLUG}&date={latest.valid_from}&detail=overview",
            f"/api/v1/events/?{month_in_a_square(random.Random(11))}", "/", f"/embed/?theatre={synthetic.SLUG}",
        ]))  # fmt: skip

        say("One edit in the middle of the history, rebuilt by two Celery worker processes...")
        results.update(measure_edit(theatre, middle.valid_from, base, latest.valid_from))

        say("Chromium: first map and scrubbing...")
        figures = browser.measure(base, first_date=middle.valid_from.isoformat(), steps=20 if options.quick else 60)
        results.update(figures)
        # What a scrub step downloads once the pieces are in: measured in the page.
        results["scrub_step_bytes"] = figures["scrub_step_browser_bytes_mean"]
        say("Chromium: an embed of the latest date on a throttled mobile network...")
        results.update(browser.measure_embed(base, f"/embed/?theatre={synthetic.SLUG}"))

    results["naive_vs_layer_hit"] = results["naive_layer_s"] * 1000 / results["layer_hit_one_client_p50_ms"]
    results["naive_vs_layer_hit_under_load"] = results["naive_layer_s"] * 1000 / results["layer_hit_p50_ms"]
    results["naive_vs_bare_under_load"] = results["naive_layer_s"] * 1000 / results["bare_django_p50_ms"]
    name = "quick" if options.quick else "full"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    report(results)
    say(f"Written to bench/results/{name}.json")


def measure_rebuilds(theatre) -> dict:
    """The full rebuild in its own process (seconds, peak memory), then shared by two Celery
    worker processes (bench/rebuilds.py measures these alone)."""
    from bench import processes, synthetic

    say("Full rebuild (its own process)...")
    seconds, peak_mb = processes.timed_command(["rebuild_layers", "--theatre", synthetic.SLUG, "--full"])
    say("Full rebuild again, shared by two Celery worker processes...")
    return {"full_rebuild_s": seconds, "full_rebuild_peak_mb": peak_mb,
            "full_rebuild_two_workers_s": two_worker_rebuild(theatre)}  # fmt: skip


def two_worker_rebuild(theatre) -> float:
    """Seconds from enqueueing a rebuild with no current build until two worker processes,
    sharing its chunks, have made it current."""
    from celery import current_app

    from bench import processes
    from conflictmap.territory.models import REBUILD_TASK, LayerBuild, LayerState

    LayerBuild.objects.filter(theatre=theatre).delete()
    LayerState.objects.filter(theatre=theatre).update(claimed_at=None)
    with processes.celery_worker(QUEUE), processes.celery_worker(QUEUE):
        started = time.monotonic()
        current_app.send_task(REBUILD_TASK, args=[theatre.pk], queue=QUEUE)
        processes.wait_until(
            lambda: LayerBuild.objects.filter(theatre=theatre, is_current=True).exists(), "the build", timeout=3600
        )
    return time.monotonic() - started


def purge_queues() -> None:
    from celery import current_app

    with current_app.connection_for_write() as connection:
        for name in (QUEUE, f"{QUEUE}-chunks"):
            connection.default_channel.queue_purge(name)


def measure_edit(theatre, date: dt.date, base: str, latest: dt.date) -> dict:
    """Seconds from the commit of one published edit until readers of today's map get a layer
    reflecting it (through the API), until every date is rebuilt (the current build), and until
    that build's pieces for scrubbing are stored. Two worker processes, as `make run` starts
    (WORKER_CONCURRENCY): they share the spliced dates."""
    from django.db import transaction

    from bench import processes
    from conflictmap.atlas.models import Faction
    from conflictmap.editorial.workflow import Status
    from conflictmap.territory.areas import to_geos
    from conflictmap.territory.build.rebuild import rebuild
    from conflictmap.territory.models import ControlChange, LayerBuild, LayerState

    rebuild(theatre.pk)  # an edit not built yet (a previous run's clean-up) is built now, untimed,
    purge_queues()  # and the worker starts with nothing but this edit's rebuild to do
    today = f"{base}/api/v1/control/?theatre={theatre.slug}&date={latest}"
    country = f"{today}&detail=overview"  # what the reader's map asks for first
    before = {url: processes.fetch(url)[2].get("ETag") for url in (today, country)}
    area = to_geos(shapely.MultiPolygon([Point(38.5, 35.0).buffer(0.1)]))  # about 120 km², mid-theatre
    with processes.celery_worker(QUEUE), processes.celery_worker(QUEUE):
        with transaction.atomic():
            change = ControlChange.objects.create(
                theatre=theatre, date=date, controller=Faction.objects.filter(slug__startswith="synthetic").first(),
                area=area, status=Status.PUBLISHED,
            )  # fmt: skip
        committed = time.monotonic()
        version = LayerState.objects.get(theatre=theatre).version

        def etag(url: str) -> str | None:
            status, _, headers = processes.fetch(url)
            return headers.get("ETag") if status == 200 else None

        def changed(url: str) -> bool:
            return etag(url) not in (None, before[url])

        def generalised() -> bool:  # the country view's own lighter payload, made after the head
            return (tag := etag(country)) not in (None, before[country]) and tag.endswith('-overview"')

        # Right at both levels of detail (the country view is the full head until generalised).
        processes.wait_until(lambda: changed(today) and changed(country), "today's map to change", 600)
        current = time.monotonic() - committed
        processes.wait_until(generalised, "the new country view", 600)
        country_view = time.monotonic() - committed
        built = LayerBuild.objects.filter(theatre=theatre, is_current=True, version__gte=version)
        processes.wait_until(built.exists, "the edit to be built", timeout=600)
        all_dates = time.monotonic() - committed
        processes.wait_until(built.exclude(pieces_geojson=b"").exists, "the pieces", timeout=600)
        pieces = time.monotonic() - committed
    change.delete()  # leave the war as generated (the next run regenerates it anyway)
    return {"edit_current_layer_s": current, "edit_country_view_generalised_s": country_view,
            "edit_all_dates_s": all_dates, "edit_pieces_s": pieces}  # fmt: skip


if __name__ == "__main__":
    main()
