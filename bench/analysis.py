"""A reader's analysis at war scale, through the site as deployed, one request at a time, beside
the same site's list of factions (a DRF answer with no query to speak of: the floor):
- click a place: GET /api/v1/control/at/ for random spots on random dates (budget: p95 under
  20 ms at the 8-year scale);
- compare two dates: GET /api/v1/compare/ for random pairs never asked before, so none is in the
  response cache (budget: p95 under 50 ms); each web process reads and measures a build's pieces
  once, at its first comparison, reported apart ("first");
- alone (not in `make bench`, which measures the browser apart): in Chromium, a place clicked to
  its history drawn, and date steps with rests to their event markers drawn (budget p95 50 ms).

Part of `make bench` and `make bench-quick`; alone, on a war a bench already generated:
`python -m bench.analysis --database conflictmap_bench_embeds` (after `python -m bench.embeds`).
"""

import argparse
import random
import statistics
import time

ROUNDS = 200


def timed(url: str) -> float:
    from bench import processes

    started = time.perf_counter()
    status, body, _ = processes.fetch(url)
    assert status == 200, (status, body[:300])
    return 1000 * (time.perf_counter() - started)


def p95(timings: list[float]) -> float:
    return sorted(timings)[int(0.95 * (len(timings) - 1))]


def measure(base: str, theatre, rounds: int = ROUNDS) -> dict:
    """p50 and p95 milliseconds of control/at for `rounds` random spots and dates (the first few,
    each gunicorn worker's first queries, are not timed), and of the factions list beside them."""
    from bench import synthetic

    rng = random.Random(5)
    boundary = synthetic.syria()
    spots = synthetic.random_points(rng, boundary, rounds + 10)
    days = (theatre.changes.latest("date").date - theatre.start_date).days

    timings, floor = [], []
    for n, (lon, lat) in enumerate(spots):
        date = theatre.start_date.fromordinal(theatre.start_date.toordinal() + rng.randrange(days + 1))
        took = timed(f"{base}/api/v1/control/at/?theatre={theatre.slug}&lat={lat:.5f}&lon={lon:.5f}&date={date}")
        if n >= 10:
            timings.append(took)
            floor.append(timed(f"{base}/api/v1/factions/"))
    return {
        "place_p50_ms": statistics.median(timings),
        "place_p95_ms": p95(timings),
        "place_floor_p50_ms": statistics.median(floor),
    }


def measure_compare(base: str, theatre, rounds: int = ROUNDS, warm_up: int = 10) -> dict:
    """p50 and p95 milliseconds of compare for `rounds` pairs of dates, each asked once; the first
    `warm_up` (each web process's first reads the build's pieces) reported apart, as "first"."""
    rng = random.Random(9)
    days = (theatre.changes.latest("date").date - theatre.start_date).days
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < rounds + warm_up:
        first, second = sorted(rng.sample(range(days + 1), 2))
        pairs.add((first, second))
    timings = []
    for first, second in sorted(pairs, key=lambda _: rng.random()):
        start = theatre.start_date.fromordinal(theatre.start_date.toordinal() + first)
        end = theatre.start_date.fromordinal(theatre.start_date.toordinal() + second)
        timings.append(timed(f"{base}/api/v1/compare/?theatre={theatre.slug}&from={start}&to={end}"))
    warm = timings[warm_up:]
    return {
        "compare_first_max_ms": max(timings[:warm_up]),
        "compare_p50_ms": statistics.median(warm),
        "compare_p95_ms": p95(warm),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="conflictmap_bench", help="a bench's database holding its war")
    options = parser.parse_args()
    from bench.run import configure, say
    from bench.table import report

    configure(database=options.database)
    from django.core.management import call_command

    from bench import browser, processes, synthetic
    from conflictmap.atlas.models import Theatre

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # nginx serves them, as deployed

    theatre = Theatre.objects.get(slug=synthetic.SLUG)
    with processes.site() as (base, _direct):
        say(f"Who held a spot: {ROUNDS} random spots and dates, one at a time...")
        results = measure(base, theatre)
        say(f"Two dates compared: {ROUNDS} random pairs never asked before, one at a time...")
        results.update(measure_compare(base, theatre))
        middle = theatre.start_date.fromordinal((theatre.start_date.toordinal() + theatre.changes.latest("date")
                                                 .date.toordinal()) // 2)  # fmt: skip
        say("Chromium: a place clicked to its history drawn; date steps with rests to their markers drawn...")
        results.update(browser.measure_place_clicks(base, middle.isoformat()))
        results.update(browser.measure(base, first_date=middle.isoformat(), steps=60))
    report(results)


if __name__ == "__main__":
    main()
