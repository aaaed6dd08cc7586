"""The build's own figures at 8 years, without the rest of `make bench` (events, wrk, Chromium):
`python -m bench.rebuilds [--days N] [--reuse] [--label TEXT]`.

The same steps as bench.run, measured the same way: the full rebuild in its own process (time
and peak memory), the full rebuild shared by two Celery worker processes, and one edit in the
middle of the history rebuilt by two workers (today's map right through the site, every date
right, the scrubbing pieces). In a database of its own (conflictmap_bench_rebuilds) with 1,000
events; `--reuse` measures the war already there again. Used to compare a change to the build
with the code before it (README, Benchmarks: front lines); writes
bench/results/rebuilds-<days>-days.json, one entry per `--label`.
"""

import argparse
import json


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=8 * 365, help="length of the synthetic war (default 8 years)")
    parser.add_argument("--reuse", action="store_true", help="measure the war this database holds (its --days)")
    parser.add_argument("--label", default="now", help="the entry the figures are written under")
    options = parser.parse_args()
    from bench.run import RESULTS, configure, measure_edit, measure_rebuilds, say

    configure(database="conflictmap_bench_rebuilds")
    from django.core.management import call_command

    from bench import processes, synthetic
    from conflictmap.atlas.models import Theatre
    from conflictmap.territory.models import LayerSnapshot

    call_command("migrate", verbosity=0)
    scale = synthetic.Scale(days=options.days, factions=9, events=1000)
    if options.reuse:
        theatre = Theatre.objects.get(slug=synthetic.SLUG)
    else:
        say(f"Generating a synthetic war: {scale.days} days...")
        theatre = synthetic.load(scale, progress=say)
    results: dict = {"scale": scale.as_dict(), "changes": theatre.changes.count()}
    results.update(measure_rebuilds(theatre))
    snapshots = LayerSnapshot.objects.filter(build__theatre=theatre, build__is_current=True).order_by("valid_from")
    latest, middle = snapshots.last(), snapshots[snapshots.count() // 2]
    assert latest is not None
    results["snapshots"] = snapshots.count()
    say("One edit in the middle of the history, rebuilt by two Celery worker processes...")
    with processes.site() as (base, _):
        processes.fetch(f"{base}/api/v1/control/?theatre={synthetic.SLUG}&date={latest.valid_from}")
        results.update(measure_edit(theatre, middle.valid_from, base, latest.valid_from))
        results.update(measure_fronts(base, latest.valid_from, middle.valid_from))
    path = RESULTS / f"rebuilds-{options.days}-days.json"
    written = json.loads(path.read_text()) if path.exists() else {}
    written[options.label] = results
    path.write_text(json.dumps(written, indent=2, sort_keys=True) + "\n")
    say(json.dumps(results, indent=2))


def measure_fronts(base: str, latest, middle) -> dict:
    """The front lines' answers through the site (none before they existed): the latest date's,
    whose pairs the build stored, and a date in the middle, first (its new pairs made then) and
    again; with their gzipped weight."""
    import gzip
    import time

    from bench import processes, synthetic

    figures: dict = {}
    for name, day in (("latest", latest), ("middle_first", middle), ("middle_again", middle)):
        url = f"{base}/api/v1/control/fronts/?theatre={synthetic.SLUG}&date={day}&detail=overview"
        started = time.monotonic()
        status, body, _ = processes.fetch(url)
        if status != 200:
            return {}
        figures[f"fronts_{name}_ms"] = 1000 * (time.monotonic() - started)
        figures["fronts_overview_gzip_bytes"] = len(gzip.compress(body, 6))
    return figures


if __name__ == "__main__":
    main()
