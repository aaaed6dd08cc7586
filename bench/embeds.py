"""An embed at war scale, alone: its first paint on the throttled mobile profile and its weight,
with what each part of it weighs (the issue's budgets: 2.5 s and 150 KB at the 8-year scale).

Part of `make bench` and `make bench-quick`; alone, in a database of its own, without the rest of
the bench: `python -m bench.embeds --days 2920` (generates the war with its events, rebuilds it in
this process, serves it through nginx as `make run` does, measures; writes
bench/results/embeds-2920-days.json; `--reuse` measures the war already there again).
"""

import argparse
import datetime as dt
import json
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=8 * 365, help="length of the synthetic war (default 8 years)")
    parser.add_argument("--events", type=int, default=500_000, help="events over the war (default 500,000)")
    parser.add_argument("--reuse", action="store_true", help="measure the war this database holds")
    options = parser.parse_args()
    from bench.run import RESULTS, configure, say
    from bench.table import report

    configure(database="conflictmap_bench_embeds")
    from django.core.management import call_command

    from bench import browser, processes, synthetic
    from conflictmap.atlas.models import Theatre
    from conflictmap.territory.build.rebuild import rebuild

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)  # nginx serves them, as deployed
    scale = synthetic.Scale(days=options.days, factions=9, events=options.events)
    results: dict = {"scale": scale.as_dict(), "run_on": dt.date.today().isoformat()}
    if options.reuse:
        Theatre.objects.get(slug=synthetic.SLUG)
    else:
        say(f"Generating a synthetic war of {scale.days} days, {scale.events:,} events; building its layers...")
        theatre = synthetic.load(scale, progress=say)
        started = time.monotonic()
        rebuild(theatre.pk, full=True)
        results["full_rebuild_s"] = time.monotonic() - started
    with processes.site() as (base, _direct):
        say("Chromium: an embed of the latest date on a throttled mobile network...")
        results.update(browser.measure_embed(base, f"/embed/?theatre={synthetic.SLUG}"))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"embeds-{scale.days}-days.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    report(results)
    for part, size in results["embed_weight_parts"].items():
        say(f"  {size:>9,} B  {part}")


if __name__ == "__main__":
    main()
