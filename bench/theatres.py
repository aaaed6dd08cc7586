"""A second war beside the first: `python -m bench.theatres [--quick] [--reuse]`.

Two synthetic wars of the same scale (8 years, or one with --quick) over the same outline, with
other seeds; events are left out (a layer hit reads none). The first war's layer hits are
measured against the bare-Django view, in alternating rounds, with the first war alone; then
the second is generated and built, its latest layer asked for by every web process, and the
first's hits measured again, and hits on both wars in turn, each against the bare view. The
figure to watch is the first war's ratio beside the second over its ratio alone (1.0: no
slower). In its own database (conflictmap_bench_theatres), made anew each run (`--reuse`: the
two wars of an earlier run, measured again); not part of `make bench`.
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
    parser.add_argument("--reuse", action="store_true", help="measure the two wars of an earlier run again")
    options = parser.parse_args()
    configure("conflictmap_bench_theatres")
    from django.core.management import call_command

    from bench import processes, synthetic
    from conflictmap.territory.models import LayerSnapshot

    scale = dataclasses.replace(synthetic.QUICK if options.quick else synthetic.FULL, events=0)
    seconds = 2 if options.quick else 4
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    path = RESULTS / f"theatres-{scale.days}-days.json"
    earlier = json.loads(path.read_text()) if options.reuse and path.exists() else {}
    results: dict = {**earlier, "scale": scale.as_dict(), "run_on": dt.date.today().isoformat(), "rounds": ROUNDS}

    def build(slug: str, seed: int) -> str:
        if not options.reuse:
            say(f"Generating and building {slug} ({scale.days} days)...")
            started = time.monotonic()
            theatre = synthetic.load(dataclasses.replace(scale, seed=seed), progress=say, slug=slug)
            results[f"{slug}_generate_s"] = time.monotonic() - started
            results[f"{slug}_changes"] = theatre.changes.count()
            command = ["rebuild_layers", "--theatre", slug, "--full"]
            results[f"{slug}_rebuild_s"], _ = processes.timed_command(command)
        current = LayerSnapshot.objects.filter(build__theatre__slug=slug, build__is_current=True)
        return f"/api/v1/control/?theatre={slug}&date={current.latest('valid_from').valid_from}"

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
        say("Hits on both wars in turn...")
        both = processes.hit_rounds(base, bare, seconds, ROUNDS, paths=[first, second])
    results.update({
        "alone_hit_vs_bare": alone["ratio"], "beside_hit_vs_bare": beside["ratio"],
        "beside_over_alone": beside["ratio"] / alone["ratio"], "both_wars_hit_vs_bare": both["ratio"],
        "alone_hit_p50_ms": alone["hit"]["p50_ms"], "beside_hit_p50_ms": beside["hit"]["p50_ms"],
        "alone_hit_rps": alone["hit"]["rps"], "beside_hit_rps": beside["hit"]["rps"],
        "both_wars_rps": both["hit"]["rps"], "both_wars_p50_ms": both["hit"]["p50_ms"],
    })  # fmt: skip
    path.write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    for key, value in sorted(results.items()):
        say(f"{key}: {value}")
    say(f"Written to bench/results/{path.name}")


if __name__ == "__main__":
    main()
