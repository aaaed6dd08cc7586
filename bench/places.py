"""Click a place at war scale: GET /api/v1/control/at/ for random spots of the theatre, on random
dates, through the site as deployed, one request at a time (the issue's budget: p95 under 20 ms
at the 8-year scale), beside the same site's list of factions (a DRF answer with no query to
speak of: the floor) in the same run.

Part of `make bench` and `make bench-quick`; alone, on a war a bench already generated:
`python -m bench.places --database conflictmap_bench_embeds` (after `python -m bench.embeds`).
"""

import argparse
import random
import statistics
import time

ROUNDS = 200


def measure(base: str, theatre, rounds: int = ROUNDS) -> dict:
    """p50 and p95 milliseconds of control/at for `rounds` random spots and dates (the first few,
    each gunicorn worker's first queries, are not timed), and of the factions list beside them."""
    from bench import processes, synthetic

    rng = random.Random(5)
    boundary = synthetic.syria()
    spots = synthetic.random_points(rng, boundary, rounds + 10)
    days = (theatre.changes.latest("date").date - theatre.start_date).days

    def timed(url: str) -> float:
        started = time.perf_counter()
        status, body, _ = processes.fetch(url)
        assert status == 200, (status, body[:300])
        return 1000 * (time.perf_counter() - started)

    timings, floor = [], []
    for n, (lon, lat) in enumerate(spots):
        date = theatre.start_date.fromordinal(theatre.start_date.toordinal() + rng.randrange(days + 1))
        took = timed(f"{base}/api/v1/control/at/?theatre={theatre.slug}&lat={lat:.5f}&lon={lon:.5f}&date={date}")
        if n >= 10:
            timings.append(took)
            floor.append(timed(f"{base}/api/v1/factions/"))
    ordered = sorted(timings)
    return {
        "place_p50_ms": statistics.median(timings),
        "place_p95_ms": ordered[int(0.95 * (len(ordered) - 1))],
        "place_floor_p50_ms": statistics.median(floor),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default="conflictmap_bench", help="a bench's database holding its war")
    options = parser.parse_args()
    from bench.run import configure, report, say

    configure(database=options.database)
    from bench import processes, synthetic
    from conflictmap.atlas.models import Theatre

    theatre = Theatre.objects.get(slug=synthetic.SLUG)
    with processes.site() as (base, _direct):
        say(f"Who held a spot: {ROUNDS} random spots and dates, one at a time...")
        results = measure(base, theatre)
    report(results)


if __name__ == "__main__":
    main()
