"""Social images (cards) at war scale: one drawn from the stored layer, against the issue's
budget (under 300 ms at the 8-year scale), and the same card again, from the cache.

Part of `make bench` and `make bench-quick` (a few seconds); alone, at any scale, in a database
of its own: `python -m bench.cards --days 2920` (generates the war without events, rebuilds it in
this process, measures; writes bench/results/cards-2920-days.json; `--reuse` measures the war already
there again, without the few minutes of its generation and rebuild).
"""

import argparse
import datetime as dt
import json
import statistics
import time
from dataclasses import replace

import shapely

BUDGET_MS = 300


def p50_ms(action, rounds: int) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        action()
        timings.append(1000 * (time.perf_counter() - started))
    return statistics.median(timings)


def measure(snapshot, rounds: int = 7, base: str | None = None) -> dict:
    """p50 milliseconds of a card of `snapshot`'s date: drawn on a cache miss (the layer read
    from PostGIS, then drawn), its two halves, the baseline drawn with every vertex, and the
    card again from Redis (in process, and through the site at `base` when given)."""
    from bench.processes import fetch
    from conflictmap.cards.images import Card, draw, png_of, view_of
    from conflictmap.lib.card import render

    theatre = snapshot.build.theatre
    card = Card(theatre, snapshot.valid_from, title=f"{theatre.name}: who controls what")
    build_id = snapshot.build_id
    draw(card, build_id)  # the theatre's outline and the neighbours are read once per process
    view = view_of(card, build_id)
    results = {
        "card_draw_p50_ms": p50_ms(lambda: draw(card, build_id), rounds),
        "card_read_p50_ms": p50_ms(lambda: view_of(card, build_id), rounds),
        "card_render_p50_ms": p50_ms(lambda: render(view), rounds),
        "card_every_vertex_p50_ms": p50_ms(lambda: render(replace(view, grid=0)), max(3, rounds // 2)),
        "card_vertices": int(sum(shapely.get_num_coordinates(area.geometry) for area in view.areas)),
        "card_bytes": len(png_of(card, build_id)),
    }
    results["card_draw_vs_budget"] = results["card_draw_p50_ms"] / BUDGET_MS
    results["card_cached_p50_ms"] = p50_ms(lambda: png_of(card, build_id), rounds * 3)
    if base:
        url = f"{base}/api/v1/card.png?theatre={theatre.slug}&date={snapshot.valid_from}"
        fetch(url)  # the first request draws it (or finds it from the line above)

        def hit() -> None:
            assert fetch(url)[0] == 200

        results["card_http_hit_p50_ms"] = p50_ms(hit, rounds * 3)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--days", type=int, default=8 * 365, help="length of the synthetic war (default 8 years)")
    parser.add_argument("--reuse", action="store_true", help="measure the war this database holds (its --days)")
    options = parser.parse_args()
    from bench.run import RESULTS, configure, say
    from bench.table import report

    configure(database="conflictmap_bench_cards")
    from django.core.management import call_command

    from bench import synthetic
    from conflictmap.atlas.models import Theatre
    from conflictmap.territory.build.rebuild import rebuild
    from conflictmap.territory.models import LayerSnapshot

    call_command("migrate", verbosity=0)
    scale = synthetic.Scale(days=options.days, factions=9, events=1000)
    results: dict = {"scale": scale.as_dict(), "run_on": dt.date.today().isoformat()}
    if options.reuse:
        theatre = Theatre.objects.get(slug=synthetic.SLUG)
    else:
        say(f"Generating a synthetic war of {scale.days} days and building its layers in this process...")
        theatre = synthetic.load(scale, progress=say)
        started = time.monotonic()
        rebuild(theatre.pk, full=True)
        results["full_rebuild_s"] = time.monotonic() - started
    latest = LayerSnapshot.objects.filter(build__theatre=theatre, build__is_current=True).latest("valid_from")
    results["days"] = (latest.valid_from - synthetic.START).days
    results.update(measure(latest))
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"cards-{scale.days}-days.json").write_text(json.dumps(results, indent=2, sort_keys=True) + "\n")
    report(results)


if __name__ == "__main__":
    main()
