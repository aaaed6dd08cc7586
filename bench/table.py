"""The bench's report: one row per figure, labelled and formatted, printed as a Markdown table
(the README's figures are pasted from it)."""

TILE_ZOOMS = (6, 8, 10, 12, 14)  # the zooms whose tiles are timed (bench/run.py)


def seconds_or_none(value) -> str:
    return "no answer in 5 s" if value is None else f"{value * 1000:,.0f} ms"


TABLE = [
    ("scale", "scale", lambda v: f"{v['days']} days, {v['factions']} factions, {v['events']:,} events"),
    ("changes", "control changes", "{:,}"),
    ("full_rebuild_s", "full rebuild", "{:.1f} s"),
    ("full_rebuild_peak_mb", "full rebuild peak memory", "{:.0f} MB"),
    ("full_rebuild_two_workers_s", "full rebuild, two Celery workers sharing it", "{:.1f} s"),
    ("edit_current_layer_s", "one edit: current layer right", "{:.1f} s"),
    (
        "edit_country_view_generalised_s",
        "one edit: current country view generalised (the full layer until then)",
        "{:.1f} s",
    ),
    ("edit_all_dates_s", "one edit: all dates right (API, tiles, embeds)", "{:.1f} s"),
    ("edit_pieces_s", "one edit: scrubbing pieces right (each date drawn from the API until then)", "{:.1f} s"),
    ("layer_hit_rps", "layer at date, cache hit", "{:,.0f} req/s"),
    ("bare_django_rps", "same bytes, bare Django from memory", "{:,.0f} req/s"),
    ("layer_hit_vs_bare", "layer hit / bare Django (median of alternating rounds)", "{:.0%}"),
    ("layer_hit_p50_ms", "layer hit p50", "{:.2f} ms"),
    ("layer_hit_p99_ms", "layer hit p99", "{:.2f} ms"),
    ("layer_miss_p50_ms", "layer miss p50 (one client)", "{:.1f} ms"),
    ("layer_miss_rps", "layer at date, cache miss (each request another date)", "{:,.0f} req/s"),
    ("layer_miss_load_p50_ms", "layer miss p50 under that load", "{:.1f} ms"),
    *[
        (f"tile_z{z}_{kind}_p50_ms", f"tile at zoom {z}, {label}, p50", "{:.1f} ms")
        for z in TILE_ZOOMS
        for kind, label in (("miss", "first request"), ("hit", "again (Redis)"), ("raw", "raw ST_AsMVT via psycopg"))
    ],
    *[(f"tile_z{z}_bytes_p50", f"tile at zoom {z}, size p50", "{:,.0f} B") for z in TILE_ZOOMS],
    ("card_vertices", "card: vertices of the layer drawn", "{:,.0f}"),
    ("card_draw_p50_ms", "card drawn on a cache miss (layer read + drawn), p50", "{:.0f} ms"),
    ("card_draw_vs_budget", "card drawn / 300 ms budget", "{:.0%}"),
    ("card_read_p50_ms", "card: layer read from PostGIS, p50", "{:.0f} ms"),
    ("card_render_p50_ms", "card: drawn and PNG-encoded, p50", "{:.0f} ms"),
    ("card_every_vertex_p50_ms", "card drawn with every vertex (no snapping to the pixel grid), p50", "{:.0f} ms"),
    ("card_cached_p50_ms", "card again, from Redis (in process), p50", "{:.1f} ms"),
    ("card_http_hit_p50_ms", "card again, through the site, p50", "{:.1f} ms"),
    ("card_bytes", "card PNG size", "{:,.0f} B"),
    ("naive_layer_s", "naive: partition by ST_Union in one query (in process)", "{:.2f} s"),
    ("layer_hit_one_client_p50_ms", "layer hit p50, one request at a time", "{:.2f} ms"),
    ("naive_vs_layer_hit", "naive / layer hit p50, one request at a time (as naive is timed)", "{:,.0f}x"),
    ("naive_vs_layer_hit_under_load", "naive / layer hit p50 under load (16 connections)", "{:,.0f}x"),
    ("naive_vs_bare_under_load", "naive / bare Django p50 under load: that ratio's ceiling", "{:,.0f}x"),
    ("django_serializer_ms", "django.core.serializers GeoJSON", "{:.1f} ms"),
    ("drf_gis_serializer_ms", "drf-gis serializer", "{:.1f} ms"),
    ("raw_psycopg_geojson_ms", "raw ST_AsGeoJSON via psycopg", "{:.1f} ms"),
    ("full_layer_gzip_bytes", "latest layer, every vertex (detail=full), gzip", "{:,.0f} B"),
    ("first_view_gzip_bytes", "first view: latest country view (detail=overview), gzip", "{:,.0f} B"),
    ("overview_gzip_max_bytes", "country view at 10 random dates, largest, gzip", "{:,.0f} B"),
    ("overview_make_p50_ms", "country view made on first request, p50", "{:.0f} ms"),
    ("pieces_gzip_bytes", "pieces for scrubbing (once, after first view), gzip", "{:,.0f} B"),
    ("history_gzip_bytes", "their history (once), gzip", "{:,.0f} B"),
    ("scrub_step_bytes", "each scrub step after that, all requests (events included)", "{:,.0f} B"),
    ("events_query_p95_ms", "events bbox + month p95", "{:.1f} ms"),
    ("first_map_s", "Chromium: first layer and legend shown", "{:.2f} s"),
    ("place_p50_ms", "who held a spot (control/at), one at a time, p50", "{:.1f} ms"),
    ("place_p95_ms", "who held a spot (control/at), p95 (budget 20 ms)", "{:.1f} ms"),
    ("compare_p50_ms", "two dates compared (compare), pairs never asked before, p50", "{:.1f} ms"),
    ("compare_p95_ms", "two dates compared, p95 (budget 50 ms)", "{:.1f} ms"),
    ("compare_first_max_ms", "two dates compared, a web process's first (reads the build's pieces)", "{:.0f} ms"),
    ("place_click_p50_ms", "Chromium: a place clicked to its history drawn, p50", "{:.0f} ms"),
    ("place_click_p95_ms", "Chromium: a place clicked to its history drawn, p95", "{:.0f} ms"),
    ("place_floor_p50_ms", "the factions list beside it (a DRF answer's floor), p50", "{:.1f} ms"),
    ("embed_first_paint_mobile_s", "Chromium: embed's first paint, 1.6 Mbit/s and 150 ms (budget 2.5 s)", "{:.2f} s"),
    ("embed_weight_bytes", "embed's own weight: HTML, JS, CSS, data as sent (budget 150 KB)", "{:,.0f} B"),
    ("pieces_ready_s", "Chromium: scrubbing ready (pieces loaded)", "{:.2f} s"),
    ("scrub_paint_p95_ms", "Chromium: date change to control layer painted p95", "{:.0f} ms"),
    ("step_markers_p95_ms", "Chromium: date step, with rests, to its event markers drawn p95", "{:.0f} ms"),
    ("slow_clients_slowest_s", "slowest of 20 layer requests with 50 idle half-sent requests open", seconds_or_none),
    ("slow_clients_gunicorn_alone_s", "the same straight at gunicorn, with 3 idle (no proxy)", seconds_or_none),
    ("many_clients_requests", "200 clients at once (layers, events, map page, embed): requests", "{:,.0f}"),
    ("many_clients_errors", "200 clients at once: errors", "{:,.0f}"),
    ("many_clients_p99_ms", "200 clients at once: p99", "{:,.0f} ms"),
]


def report(results: dict) -> None:
    print("\n| metric | value |\n| --- | --- |")
    for key, label, style in TABLE:
        if key in results:
            value = style(results[key]) if callable(style) else str(style).format(results[key])
            print(f"| {label} | {value} |")
