"""The offline vector basemap (frontend/js/basemap.js) in a real Chromium, with no internet access
(fixtures in tests/chromium.py): the neighbouring countries reach past every edge of any view a
reader can reach, so no straight edge of the data ever stands in for a coast, and a few city
names are drawn, more of them as the reader zooms in."""

import json
import math

import pytest
import shapely
from django.conf import settings
from shapely.geometry import shape

from tests.chromium import near

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LAND = "#e3e3e3"  # the neighbours' fill (basemap.js)
SYRIA = settings.FIXTURES_DIR / "geo" / "syria-admin0.geojson"

# The map's size in CSS pixels, and where on it Damascus's and Aleppo's names are pinned (the
# top left of a label's marker is its place): from them, the view (`shown`). The address would
# say it too, but Chromium stops taking replaceState calls when a reader pans many times a second.
VIEW = """() => {
    const map = document.getElementById('map');
    const box = map.getBoundingClientRect();
    const pins = Object.fromEntries([...document.querySelectorAll('.basemap-label')].map((label) => {
        const pin = label.getBoundingClientRect();
        return [label.textContent, [pin.left - box.left, pin.top - box.top]];
    }));
    return { width: map.clientWidth, height: map.clientHeight, pins };
}"""

# [r, g, b, a] of the basemap canvas at a point of the map given in pixels from its top left.
BASEMAP_PIXEL = """([x, y]) => {
    const map = document.getElementById('map').getBoundingClientRect();
    const canvas = document.querySelector('.leaflet-basemap-pane canvas');
    const box = canvas.getBoundingClientRect();
    const scale = canvas.width / box.width;
    const at = [(map.left + x - box.left) * scale, (map.top + y - box.top) * scale].map(Math.round);
    return [...canvas.getContext('2d').getImageData(at[0], at[1], 1, 1).data];
}"""

# Each city name drawn: its text, lang and dir, whether it carries a style attribute, and its box.
LABELS = """() => [...document.querySelectorAll('.basemap-label-name')].map((name) => {
    const box = name.getBoundingClientRect();
    return { text: name.textContent, lang: name.lang, dir: name.dir, styled: name.hasAttribute('style'),
             box: [box.left, box.top, box.right, box.bottom] };
})"""

PANES = """() => Object.fromEntries(['overlay', 'basemap-labels', 'events', 'marker', 'popup'].map((name) => {
    const pane = document.querySelector(`.leaflet-${name}-pane`);
    return [name, { z: Number(getComputedStyle(pane).zIndex), events: getComputedStyle(pane).pointerEvents }];
}))"""


def mercator(lat, lng, zoom):
    """Web Mercator pixels at `zoom`, as Leaflet projects (256-pixel tiles)."""
    size = 256 * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lng + 180) / 360 * size, (1 - y / math.pi) / 2 * size


def unproject(x, y, zoom):
    size = 256 * 2**zoom
    lat = math.degrees(2 * math.atan(math.exp(math.pi * (1 - 2 * y / size))) - math.pi / 2)
    return lat, x / size * 360 - 180


def labels_of(data):
    return [feature for feature in data["features"] if feature["geometry"]["type"] == "Point"]


def shown(page, data):
    """(zoom, (lat, lng) -> pixel in the map, (west, south, east, north) the map shows)."""
    view = page.evaluate(VIEW)
    places = {f["properties"]["name_en"]: f["geometry"]["coordinates"] for f in labels_of(data)}
    (lng_d, lat_d), (lng_a, lat_a) = places["Damascus"], places["Aleppo"]
    (x_d, y_d), (_, y_a) = view["pins"]["Damascus"], view["pins"]["Aleppo"]
    zoom = round(math.log2((y_d - y_a) / (mercator(lat_d, lng_d, 0)[1] - mercator(lat_a, lng_a, 0)[1])))
    mx, my = mercator(lat_d, lng_d, zoom)
    left, top = mx - x_d, my - y_d  # the map's top left, in world pixels
    north, west = unproject(left, top, zoom)
    south, east = unproject(left + view["width"], top + view["height"], zoom)

    def pixel(lat, lng):
        x, y = mercator(lat, lng, zoom)
        return x - left, y - top

    return zoom, pixel, (west, south, east, north)


def open_basemap(page, address):
    page.goto(address)
    page.wait_for_selector("#legend tr", timeout=15_000)
    page.wait_for_function("() => document.getElementById('map').dataset.basemapDrawn === 'true'", timeout=15_000)
    data = page.evaluate("async () => (await fetch(document.getElementById('map').dataset.basemap)).json()")
    page.wait_for_timeout(300)  # the first view settled (fitBounds, then the basemap's limits)
    return data


def assert_inside(view, bbox, where):
    zoom, _, (west, south, east, north) = view
    data_west, data_south, data_east, data_north = bbox
    slack = 360 / (256 * 2**zoom)  # a pixel: Leaflet pins a marker to a whole pixel
    assert west >= data_west - slack and east <= data_east + slack, f"{where}: {view[2]} past the data's {bbox}"
    assert south >= data_south - slack and north <= data_north + slack, f"{where}: {view[2]} past the data's {bbox}"


def colour(pixel):
    r, g, b, a = pixel
    return f"#{r:02x}{g:02x}{b:02x}" if a == 255 else None


def assert_edges_drawn(page, data):
    """Points along each edge of the map, 3 px in: the neighbours' land is drawn in its colour,
    the sea (no land in the data, nor Syria) is left to the map's own background."""
    zoom, pixel, (west, south, east, north) = shown(page, data)
    countries = [shape(f["geometry"]) for f in data["features"] if f["geometry"]["type"] != "Point"]
    land, borders = shapely.union_all(countries), shapely.union_all([c.boundary for c in countries])
    theatre = shape(json.loads(SYRIA.read_text())["features"][0]["geometry"])
    margin = 4 * 360 / (256 * 2**zoom)  # four pixels: clear of a border's stroke
    points = [(lat, lng) for t in [i / 15 for i in range(16)] for lat, lng in [
        (north, west + t * (east - west)), (south, west + t * (east - west)),
        (south + t * (north - south), west), (south + t * (north - south), east)]]  # fmt: skip
    width, height = page.evaluate(VIEW)["width"], page.evaluate(VIEW)["height"]
    seen = {"land": 0, "sea": 0}
    for lat, lng in points:
        x, y = pixel(lat, lng)
        x, y = min(max(x, 3), width - 4), min(max(y, 3), height - 4)
        lat, lng = lat_lng_at(page, x, y, zoom, pixel)
        spot = shapely.Point(lng, lat)
        if theatre.distance(spot) < margin or borders.distance(spot) < margin:
            continue  # Syria, or a border or coast: its stroke
        drawn = page.evaluate(BASEMAP_PIXEL, [x, y])
        if land.contains(spot):
            seen["land"] += 1
            assert near(colour(drawn), LAND), f"({lat:.3f}, {lng:.3f}) is land in the data, drawn {drawn}"
        else:
            seen["sea"] += 1
            assert drawn[3] == 0, f"({lat:.3f}, {lng:.3f}) is sea, drawn {drawn}"
    assert seen["land"] > 4, seen


def lat_lng_at(page, x, y, zoom, pixel):
    """The point at map pixel (x, y), the inverse of `pixel`."""
    ox, oy = pixel(0.0, 0.0)
    cx, cy = mercator(0.0, 0.0, zoom)
    return unproject(x - ox + cx, y - oy + cy, zoom)


@pytest.mark.parametrize("path", ["/", "/embed/?theatre=syria"], ids=["full map", "embed"])
@pytest.mark.parametrize("size", [(1200, 800), (360, 740)], ids=["desktop", "phone"])
def test_no_view_a_reader_can_reach_goes_past_the_neighbours_data(page, live_server, demo, path, size):
    page.set_viewport_size(dict(zip(("width", "height"), size, strict=True)))
    data = open_basemap(page, f"{live_server.url}{path}")
    bbox = data["bbox"]
    zoom, _, bounds = view = shown(page, data)
    assert_inside(view, bbox, "the first view")
    assert_edges_drawn(page, data)

    # The reader zooms out as far as the map lets them, then pans to every side.
    page.focus("#map")
    for _ in range(6):
        page.keyboard.press("Minus")
        page.wait_for_timeout(350)
    least, _, bounds = view = shown(page, data)
    # The data reaches far enough for a desktop reader to see the region around the theatre.
    assert least < zoom if size == (1200, 800) else least <= zoom
    assert page.locator(".leaflet-control-zoom-out").get_attribute("class").count("leaflet-disabled")
    assert_inside(view, bbox, "zoomed out")
    for key in ["ArrowRight", "ArrowDown", "ArrowLeft", "ArrowUp"]:
        for _ in range(25):
            page.keyboard.press(key)
        page.wait_for_timeout(600)
        assert_inside(shown(page, data), bbox, f"zoomed out and panned ({key})")
        assert_edges_drawn(page, data)
    assert page.errors == []


def test_city_names_show_by_rank_and_never_take_a_click(page, live_server, demo):
    data = open_basemap(page, f"{live_server.url}/")
    ranked = {f["properties"]["name_en"]: f["properties"]["rank"] for f in labels_of(data)}
    assert 8 <= len(ranked) <= 15 and ranked["Damascus"] == ranked["Aleppo"] == 1
    zoom, _, _ = shown(page, data)
    labels = page.evaluate(LABELS)
    names = {label["text"] for label in labels}
    assert {"Damascus", "Aleppo"} <= names
    assert all(label["lang"] == "en" and label["dir"] == "auto" and not label["styled"] for label in labels)
    # Above the control layer, below the markers, popups and everything that takes a click.
    panes = page.evaluate(PANES)
    assert panes["overlay"]["z"] < panes["basemap-labels"]["z"] < panes["events"]["z"] < panes["popup"]["z"]
    assert panes["basemap-labels"]["events"] == "none"
    # Zooming out hides the smaller places first; no two names drawn overlap at zoom 6 or 7.
    seen = {}
    for _ in range(3):
        at = shown(page, data)[0]
        labels = page.evaluate(LABELS)
        seen[at] = {label["text"] for label in labels}
        if at in (6, 7):
            boxes = [label["box"] for label in labels]
            for i, a in enumerate(boxes):
                for b in boxes[i + 1 :]:
                    overlap = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
                    assert min(overlap) <= 0, f"at zoom {at}, names overlap: {labels}"
        page.focus("#map")
        page.keyboard.press("Minus")
        page.wait_for_timeout(400)
    assert seen[7] == {name for name, rank in ranked.items() if rank <= 3}
    assert seen[6] == {name for name, rank in ranked.items() if rank <= 2}
    assert {"Damascus", "Aleppo"} <= seen[6] and "Idlib" not in seen[6]


def test_the_neighbours_file_is_the_basemaps_and_the_cards(demo, client):
    """The static file as served: countries and the Golan as polygons, the names as points, a
    bounding box; and the social image, which draws its polygons, still renders."""
    from django.contrib.staticfiles import finders

    from conflictmap.cards.images import syrias_region

    with open(finders.find("basemap/neighbors-admin0.geojson"), encoding="utf-8") as served:
        data = json.load(served)
    kinds = {f["geometry"]["type"] for f in data["features"]}
    assert kinds == {"Polygon", "MultiPolygon", "Point"}
    names = {f["properties"]["name_en"] for f in data["features"]}
    assert {"Turkey", "Iraq", "Lebanon", "Jordan", "Israel", "Golan Heights", "Cyprus", "Damascus"} <= names
    west, south, east, north = data["bbox"]
    assert west <= 30 and east >= 48 and south <= 29 and north >= 41  # well past the old 34-43.5°E, 31.5-38.5°N
    assert all(geometry.geom_type in ("Polygon", "MultiPolygon") for geometry in syrias_region())
    response = client.get("/api/v1/card.png", {"theatre": "syria", "date": "2019-01-10", "bbox": "30,29,48,41"})
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
