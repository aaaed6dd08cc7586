"""A second war beside the first: `python -m bench.theatres [--quick]`.

Two synthetic wars of the same scale (8 years, or one with --quick) over the same outline, with
other seeds; events are left out (a layer hit reads none). The first war's layer hits are
measured against the bare-Django view, in alternating rounds, with the first war alone; then
the second is generated and built, its latest layer asked for by every web process, and the
first's hits measured again, and hits on both wars at once. The figure to watch is the first
war's ratio with two wars over its ratio alone (1.0: no slower). In its own database
(conflictmap_bench_theatres), made anew each run; not part of `make bench`.
"""

import argparse
import dataclasses
import datetime as dt
import json
import time

from bench.run import RESULTS, configure, say

SECOND = "synthetic-war-2"
ROUNDS = 7


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="two one-year wars")
    options = parser.parse_args()
    configure("conflictmap_bench_theatres")
    from django.core.management import call_command

    from bench import processes, synthetic
    from conflictmap.territory.models import LayerSnapshot

    base_scale = synthetic.QUICK if options.quick else synthetic.FULL
    scale = dataclasses.replace(base_scale, events=0)
    seconds = 2 if options.quick else 4
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    results: dict = {"scale": scale.as_dict(), "run_on": dt.date.today().isoformat(), "rounds": ROUNDS}

    def build(slug: str, seed: int) -> str:
        say(f"Generating and building {slug} ({scale.days} days)...")
        started = time.monotonic()
        theatre = synthetic.load(dataclasses.replace(scale, seed=seed), progress=say, slug=slug)
        results[f"{slug}_generate_s"] = time.monotonic() - started
        results[f"{slug}_changes"] = theatre.changes.count()
        results[f"{slug}_rebuild_s"], _ = processes.timed_command(["rebuild_layers", "--theatre", slug, "--full"])
        latest = LayerSnapshot.objects.filter(build__theatre=theatre, build__is_current=True).latest("valid_from")
        return f"/api/v1/control/?theatre={slug}&date={latest.valid_from}"

    first = build(synthetic.SLUG, seed=1)
    with processes.site() as (base, _):
        bare = f"{base}/bench/bare/"
        say("The first war's layer hits, alone...")
        alone = processes.hit_rounds(base + first, bare, seconds, ROUNDS)
        second = build(SECOND, seed=2)
        for _ in range(8):  # into every web process's cache, as readers of both wars would
            processes.fetch(base + second)
        say("The first war's layer hits, beside the second...")
        beside = processes.hit_rounds(base + first, bare, seconds, ROUNDS)
        say("Hits on both wars at once...")
        both = processes.wrk(base, seconds, paths=[first, second])
    results.update({
        "alone_hit_vs_bare": alone["ratio"], "beside_hit_vs_bare": beside["ratio"],
        "beside_over_alone": beside["ratio"] / alone["ratio"],
        "alone_hit_p50_ms": alone["hit"]["p50_ms"], "beside_hit_p50_ms": beside["hit"]["p50_ms"],
        "alone_hit_rps": alone["hit"]["rps"], "beside_hit_rps": beside["hit"]["rps"],
        "both_wars_rps": both["rps"], "both_wars_p50_ms": both["p50_ms"],
    })  # fmt: skip
    name = f"theatres-{scale.days}-days"
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    for key, value in sorted(results.items()):
        say(f"{key}: {value}")
    say(f"Written to bench/results/{name}.json")


if __name__ == "__main__":
    main()
