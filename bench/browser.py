"""Front-end figures in Debian's Chromium: time to first map, and date change to painted."""

import statistics
import time
from contextlib import contextmanager

# In the page: step the slider `steps` times; for each step, the time from the input event to
# the second animation frame after the map's dataset `shown` (a date) names the new date (a
# paint has happened). With "shownDate", a step as soon as the last one is painted, as a reader
# dragging the slider (a pointer held on it): the control layer (markers are not waited for: the
# page draws them once a date rests). With "markersDate", a step once its event markers are
# drawn, as a reader stepping with the keys: a date with rests.
STEP = """async ([steps, shown]) => {
    const slider = document.getElementById('date-slider');
    const map = document.getElementById('map');
    const frames = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    // Every byte the page downloads while stepping, whenever a request finishes (events
    // fetched for a new month included), counted against the whole run.
    let bytes = 0;
    const observer = new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) bytes += entry.transferSize || entry.encodedBodySize || 0;
    });
    observer.observe({ type: 'resource' });
    const times = [];
    const dragging = shown === 'shownDate';
    if (dragging) slider.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));
    for (let i = 0; i < steps; i++) {
        const target = Number(slider.value) + 1;
        const iso = new Date(target * 86400000).toISOString().slice(0, 10);
        const started = performance.now();
        slider.value = target;
        slider.dispatchEvent(new Event('input'));
        while (map.dataset[shown] !== iso) await new Promise((done) => setTimeout(done, 1));
        await frames();
        times.push(performance.now() - started);
    }
    if (dragging) window.dispatchEvent(new PointerEvent('pointerup'));
    await new Promise((done) => setTimeout(done, 1000)); // let requests started late finish
    observer.disconnect();
    return { times, bytes };
}"""


@contextmanager
def offline_page(width: int, height: int):
    """A page of Debian's Chromium that reaches this machine's servers and nothing else."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        page = browser.new_page(viewport={"width": width, "height": height})
        page.route("**/*", lambda route: route.continue_() if "127.0.0.1" in route.request.url else route.abort())
        yield page
        browser.close()


# A phone on a slow mobile network, as the issue on embeds has it (DevTools' throttling).
MOBILE = {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8, "uploadThroughput": 750_000 / 8}
# Every byte of the page, compressed as sent: its HTML (navigation) and each resource, by the
# path it came from (the API's by endpoint, static files by name).
WEIGHT = """() => performance.getEntries()
    .filter((entry) => entry.entryType === 'navigation' || entry.entryType === 'resource')
    .map((entry) => [new URL(entry.name).pathname, entry.transferSize || entry.encodedBodySize || 0])"""


def measure_embed(base_url: str, path: str) -> dict:
    """An embed in a 640×450 iframe-sized window under MOBILE: seconds to its first paint of the
    territory and legend, and its own weight (basemap tiles are not loaded: aborted offline)."""
    with offline_page(640, 450) as page:
        session = page.context.new_cdp_session(page)
        session.send("Network.enable")
        session.send("Network.setCacheDisabled", {"cacheDisabled": True})
        session.send("Network.emulateNetworkConditions", MOBILE)
        started = time.monotonic()
        page.goto(f"{base_url}{path}")
        page.wait_for_selector("#legend tr", timeout=120_000)
        page.wait_for_function("() => document.getElementById('map').dataset.shownDate")
        first_paint = time.monotonic() - started
        page.wait_for_load_state("networkidle")
        sizes = page.evaluate(WEIGHT)
    parts: dict[str, int] = {}
    for path, size in sizes:
        name = path.rsplit("/", 1)[-1] if path.startswith("/static/") else path
        parts[name] = parts.get(name, 0) + size
    return {"embed_first_paint_mobile_s": first_paint, "embed_weight_bytes": sum(parts.values()),
            "embed_weight_parts": dict(sorted(parts.items(), key=lambda part: -part[1]))}  # fmt: skip


def measure_place_clicks(base_url: str, date: str, clicks: int = 40) -> dict:
    """p50 and p95 of a click on the map to its place's history drawn, in Chromium (clicked by the
    DevTools protocol, as a reader's mouse; the first few, each web process's first, not counted)."""
    import random

    rng = random.Random(3)
    with offline_page(1200, 800) as page:
        # No event types shown (`types=none`), so that no marker takes a click meant for the map.
        page.goto(f"{base_url}/?date={date}&view=7/35.0/38.5&types=none")
        page.wait_for_selector("#legend tr", timeout=120_000)
        page.wait_for_load_state("networkidle")
        box = page.locator("#map").bounding_box()
        times = []
        for n in range(clicks + 5):
            x = box["x"] + box["width"] / 2 + rng.randint(-150, 150)
            y = box["y"] + box["height"] / 2 + rng.randint(-120, 120)
            page.evaluate("() => document.querySelector('.leaflet-popup-close-button')?.click()")
            started = time.perf_counter()
            page.mouse.click(x, y)
            page.wait_for_selector(".leaflet-popup-content .place-strip", timeout=10_000)
            page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
            if n >= 5:
                times.append(1000 * (time.perf_counter() - started))
    times.sort()
    return {"place_click_p50_ms": statistics.median(times), "place_click_p95_ms": times[int(0.95 * (len(times) - 1))]}


def measure(base_url: str, first_date: str, steps: int) -> dict:
    with offline_page(1200, 800) as page:
        started = time.monotonic()
        page.goto(f"{base_url}/?date={first_date}")
        page.wait_for_selector("#legend tr", timeout=120_000)
        first_map = time.monotonic() - started
        # Scrubbing is measured once the pieces and their history have loaded (after first view).
        page.wait_for_function("() => document.getElementById('map').dataset.pieces === 'ready'", timeout=300_000)
        pieces_ready = time.monotonic() - started
        # The first view's own loads (its events, their list) are not scrubbing's: let them end.
        page.wait_for_load_state("networkidle")
        measured = page.evaluate(STEP, [steps, "shownDate"])
        markers = sorted(page.evaluate(STEP, [steps // 2, "markersDate"])["times"])
    times = sorted(measured["times"])
    return {
        "first_map_s": first_map,
        "pieces_ready_s": pieces_ready,
        "scrub_paint_p50_ms": statistics.median(times),
        "scrub_paint_p95_ms": times[int(0.95 * (len(times) - 1))],
        "scrub_step_browser_bytes_mean": measured["bytes"] / steps,
        "step_markers_p50_ms": statistics.median(markers),
        "step_markers_p95_ms": markers[int(0.95 * (len(markers) - 1))],
    }
