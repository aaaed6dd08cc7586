"""The map page in a real Chromium (Debian's), driven by Playwright, with no internet access
(fixtures in tests/chromium.py; the admin's map forms are in test_browser_admin.py)."""

import base64
import datetime as dt
import re
import time

import numpy as np
import pytest

from conflictmap.territory.build.rebuild import rebuild
from tests.chromium import BELT, log_in_to_the_admin, near, open_map, wait_for_pieces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# True once the basemap canvas has opaque pixels both in Syria (centre) and in Turkey (top).
BASEMAP_PAINTED = """() => {
    const canvas = document.querySelector('.leaflet-basemap-pane canvas');
    if (!canvas) return false;
    const context = canvas.getContext('2d');
    const alpha = (x, y) => context.getImageData(x, y, 1, 1).data[3];
    return alpha(canvas.width / 2, canvas.height / 2) === 255 && alpha(canvas.width / 2, canvas.height / 6) === 255;
}"""


# The colour the control layer paints at the centre of the map: the pieces are drawn on a
# canvas in the overlay pane (read the pixel there); the dissolved layer is SVG (the fill of the
# topmost path whose fill holds the point: they take no pointer events, so no hit testing).
CENTRE_COLOUR = """() => {
    const box = document.getElementById('map').getBoundingClientRect();
    const svg = document.querySelector('.leaflet-overlay-pane svg');
    if (svg) {
        const point = new DOMPoint(box.left + box.width / 2, box.top + box.height / 2)
            .matrixTransform(svg.getScreenCTM().inverse());
        const path = [...svg.querySelectorAll('path')].reverse().find((path) => path.isPointInFill(point));
        if (path) return path.getAttribute('fill');
    }
    const canvas = document.querySelector('.leaflet-overlay-pane > canvas');
    if (!canvas) return null;
    const [r, g, b, a] = canvas.getContext('2d').getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data;
    return a ? '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('') : null;
}"""


def wait_for_colour_at_map_centre(page, expected, timeout=5.0):
    deadline = time.monotonic() + timeout
    while not near(colour := page.evaluate(CENTRE_COLOUR), expected):
        assert time.monotonic() < deadline, f"the map centre shows {colour}, not {expected}"
        page.wait_for_timeout(100)


def test_the_map_draws_control_polygons_markers_and_legend_offline(page, live_server, demo):
    open_map(page, live_server)  # the first view: the dissolved layer from /api/v1/control/
    factions = page.eval_on_selector_all("#legend tr", "rows => rows.map(r => r.dataset.faction)")
    assert {"pro-government", "sdf", "tfsa", "hts", "isis", "us-coalition"} <= set(factions)
    # Then the pieces take over, painted on a canvas.
    wait_for_pieces(page)
    wait_for_colour_at_map_centre(page, "#d62728")  # central Syria: pro-government
    page.wait_for_function("() => Number(document.getElementById('map').dataset.markers) > 0")  # events load apart
    # Tiles could not load, yet the vector basemap (theatre and neighbours) is painted beneath.
    page.wait_for_function(BASEMAP_PAINTED)
    assert any("tile.openstreetmap.org" in url for url in page.blocked)
    assert "approximations" in page.locator(".notice").inner_text()
    assert page.errors == []


def test_moving_the_slider_past_28_december_changes_what_is_drawn_around_manbij(page, live_server, demo):
    lat, lng = BELT
    open_map(page, live_server, f"?date=2018-12-20&view=8/{lat}/{lng}")  # overview: the pieces
    wait_for_pieces(page)
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate === '2018-12-20'")
    wait_for_colour_at_map_centre(page, "#f2c500")  # SDF

    requests = []
    page.on("request", lambda request: requests.append(request.url))
    slider = page.locator("#date-slider")
    slider.focus()
    for _ in range(9):  # a reader pressing → nine times: 20 December to 29 December
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate === '2018-12-29'")
    assert page.locator("#date-label").inner_text() == "29 December 2018"
    wait_for_colour_at_map_centre(page, "#d62728")  # pro-government
    assert not [url for url in requests if "/api/v1/control/?" in url]  # scrubbing asked the server for no layer
    assert not [url for url in requests if "/events/points/" in url]  # nor for event points: December's are in
    assert not [url for url in requests if "/event-types/" in url]  # nor for the types' colours: once, at start
    legend = page.locator("#legend tr[data-faction='pro-government']").inner_text()
    assert "+353 km²" in legend  # what it gained on 28 December, from the pieces' areas
    page.wait_for_url(re.compile(r"date=2018-12-29"))  # the share link follows (debounced)


# Separate marks on the timeline's tick strip: runs of pixel columns with paint in them.
TICK_MARKS = """() => {
    const strip = document.querySelector('.timeline-ticks');
    const { width, height } = strip;
    const pixels = strip.getContext('2d').getImageData(0, 0, width, height).data;
    let marks = 0;
    for (let x = 0, inMark = false; x < width; x++) {
        const painted = pixels[4 * (Math.floor(height / 2) * width + x) + 3] > 0;
        if (painted && !inMark) marks++;
        inMark = painted;
    }
    return marks;
}"""


def test_the_timeline_marks_every_change_date_under_the_slider(page, live_server, demo, client):
    open_map(page, live_server)
    change_dates = client.get("/api/v1/timeline/", {"theatre": "syria"}).json()["change_dates"]
    assert page.evaluate(TICK_MARKS) == len(change_dates)  # a few days apart: each its own mark


# The pieces' canvas: every pixel's RGBA, base64-encoded.
PIECES_PIXELS = """() => {
    const canvas = document.querySelector('.leaflet-overlay-pane > canvas');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let text = '';
    for (let i = 0; i < data.length; i += 0x8000) text += String.fromCharCode(...data.subarray(i, i + 0x8000));
    return btoa(text);
}"""


def pieces_pixels(page):
    """The pieces' canvas as premultiplied RGBA (what is composited; canvases hand pixels back
    divided by their alpha, which magnifies a faint edge's rounding)."""
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    rgba = np.frombuffer(base64.b64decode(page.evaluate(PIECES_PIXELS)), dtype=np.uint8).reshape(-1, 4) / 255
    return np.hstack([rgba[:, :3] * rgba[:, 3:], rgba[:, 3:]])


def test_scrubbing_redraws_only_what_changed_yet_paints_what_a_fresh_map_paints(page, live_server, demo):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from conflictmap.atlas.models import Faction
    from conflictmap.editorial.workflow import Status
    from conflictmap.territory.models import ControlChange

    # On 28 December, as the belt west of Manbij changes hands, so does a square about 350 km away
    # near Abu Kamal: two patches of the canvas to redraw in one step.
    far = MultiPolygon(Polygon.from_bbox((40.6, 34.2, 40.8, 34.4)), srid=4326)
    ControlChange.objects.create(theatre=demo, date=dt.date(2018, 12, 28), area=far, status=Status.PUBLISHED,
                                 controller=Faction.objects.get(slug="tfsa"))  # fmt: skip
    rebuild(demo.pk)
    view = "view=6/35.3/38.6"  # the whole country
    open_map(page, live_server, f"?date=2018-12-20&{view}")
    wait_for_pieces(page)
    page.locator("#date-slider").focus()
    for _ in range(30):  # through the changes of late December and January, patch by patch
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate === '2019-01-19'")
    scrubbed = pieces_pixels(page)
    open_map(page, live_server, f"?date=2019-01-19&{view}")  # the same date drawn whole
    wait_for_pieces(page)
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate === '2019-01-19'")
    fresh = pieces_pixels(page)
    assert scrubbed.shape == fresh.shape
    # Anti-aliased edges redrawn at another moment may differ by a shade (L.Canvas's own
    # redraws do too); a piece left in its old colour differs by far more.
    assert np.abs(scrubbed - fresh).max() < 0.04


# view-state.js's decision, asked in the page: [view, facts] -> plan, for each case.
PLANS = """async (cases) => {
    const { planOf } = await import('/static/frontend/js/view-state.js');
    return cases.map(([view, facts]) => planOf(view, facts));
}"""


def test_one_decision_says_what_draws_each_view(page, live_server):
    page.goto(f"{live_server.url}/static/frontend/js/days.js")  # any page of the site, to import from
    changes = {"changeDays": [100, 110, 120], "headDay": None}
    head = {**changes, "headDay": 110}  # an edit from day 110 on, the pieces not yet rebuilt
    view = {"day": 115, "zoom": 7, "drafts": False, "piecesLoaded": False, "smallZoom": 6, "coarse": False}
    cases = {
        "first view": ([view, changes], {"source": "layer", "key": 110, "detail": "overview", "level": "overview"}),
        "theatre small on screen": ([{**view, "zoom": 6}, changes], {"source": "layer", "level": "small"}),
        "an embed's first paint": ([{**view, "coarse": True}, changes], {"level": "small"}),
        "zoomed in, a small theatre": (
            [{**view, "zoom": 9, "smallZoom": 9}, changes],
            {"detail": "tiles", "level": "small"},
        ),
        "pieces loaded": ([{**view, "piecesLoaded": True}, changes], {"source": "pieces", "key": 110}),
        "before the edit": ([{**view, "day": 109, "piecesLoaded": True}, head], {"source": "pieces", "key": 100}),
        "from the edit on": ([{**view, "day": 110, "piecesLoaded": True}, head], {"source": "layer", "key": 110}),
        "drafts": ([{**view, "drafts": True}, changes], {"source": "preview", "key": 115}),
        "zoomed in": ([{**view, "zoom": 9}, changes], {"detail": "tiles"}),
        "zoomed in on drafts": ([{**view, "zoom": 12, "drafts": True}, changes], {"detail": "overview"}),
        "before any change": ([{**view, "day": 99}, changes], {"source": "layer", "key": None, "patterns": False}),
        # Confidence patterns over land dissolved by controller alone, never over the pieces (theirs)
        "patterns over the layer": ([view, changes], {"patterns": True}),
        "no patterns over pieces": ([{**view, "piecesLoaded": True}, changes], {"patterns": False}),
        "patterns over the tiles": ([{**view, "piecesLoaded": True, "zoom": 9}, changes], {"patterns": True}),
        "all confirmed": ([view, {**changes, "unsure": False}], {"patterns": False}),
        "no patterns in drafts": ([{**view, "drafts": True}, changes], {"patterns": False}),
        "a cited build's": ([{**view, "pinned": True}, changes], {"patterns": False}),
    }
    plans = page.evaluate(PLANS, [given for given, _ in cases.values()])
    for (name, (_, expected)), plan in zip(cases.items(), plans, strict=True):
        assert {key: plan[key] for key in expected} == expected, name


SET_THE_SLIDER = """(iso) => {
    const slider = document.getElementById('date-slider');
    slider.value = Date.parse(iso) / 86400000;
    slider.dispatchEvent(new Event('input'));
}"""


def test_a_late_layer_for_a_date_the_reader_has_left_is_not_drawn(page, live_server, demo):
    lat, lng = BELT
    # No pieces: every date is drawn from /control/, as in the minute after an edit.
    page.route(lambda url: "/api/v1/pieces/" in url or "/api/v1/history/" in url, lambda route: route.abort())
    open_map(page, live_server, f"?date=2019-01-21&view=8/{lat}/{lng}")
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate === '2019-01-21'")
    held = []  # the layers of the dates before 28 December: answered when the test says

    def hold(route):
        if "/control/?" in route.request.url and "date=2018-12-28" not in route.request.url:  # not /control/fronts/
            held.append(route)
        else:
            route.fallback()

    page.route("**/*", hold)
    page.evaluate(SET_THE_SLIDER, "2018-12-20")  # its layer held back...
    page.wait_for_function("() => document.getElementById('date-label').value === '20 December 2018'")
    page.evaluate(SET_THE_SLIDER, "2018-12-29")  # ...while the reader moves on
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate === '2018-12-29'")
    wait_for_colour_at_map_centre(page, "#d62728")  # pro-government, from 28 December
    assert len(held) == 1
    late = held[0].request.url
    with page.expect_response(lambda response: response.url == late):
        held[0].fallback()  # 20 December's layer arrives late
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert page.evaluate("document.getElementById('map').dataset.shownDate") == "2018-12-29"
    assert page.evaluate("document.getElementById('map').dataset.source") == "layer"
    assert near(page.evaluate(CENTRE_COLOUR), "#d62728")  # not the SDF of 20 December
    assert page.errors == []


# Steps the slider a day every other frame (a drag at 30 dates a second), `steps` times,
# recording every date the markers are drawn for.
def test_editors_preview_the_map_with_drafts_and_readers_do_not_see_them(page, live_server, demo, django_user_model):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from conflictmap.atlas.models import Faction
    from conflictmap.editorial.workflow import Status
    from conflictmap.territory.models import ControlChange

    lat, lng = BELT
    belt = MultiPolygon(Polygon.from_bbox((lng - 0.05, lat - 0.05, lng + 0.05, lat + 0.05)), srid=4326)
    ControlChange.objects.create(theatre=demo, date=dt.date(2019, 1, 20), area=belt, status=Status.DRAFT,
                                 controller=Faction.objects.get(slug="isis"))  # fmt: skip
    open_map(page, live_server, f"?date=2019-01-21&view=8/{lat}/{lng}")
    wait_for_colour_at_map_centre(page, "#d62728")  # readers: the published map, no draft
    assert page.locator("#preview-banner").is_hidden()
    log_in_to_the_admin(page, live_server, django_user_model, "/admin/")
    open_map(page, live_server, f"?drafts=1&date=2019-01-21&view=8/{lat}/{lng}")
    assert page.locator("#preview-banner").is_visible()
    wait_for_colour_at_map_centre(page, "#262626")  # the draft (ISIS), in the editors' preview
    assert page.evaluate("document.getElementById('map').dataset.source") == "preview"
    page.wait_for_url(re.compile(r"view=8%2F"))  # the URL rewritten from the view state...
    assert "drafts=1" in page.url  # ...keeps the preview, for a reload or a colleague
    assert page.errors == []


# The colour of the vector-tile canvas under the centre of the map (detail zoom).
TILE_COLOUR = """() => {
    const box = document.getElementById('map').getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    for (const canvas of document.querySelectorAll('.leaflet-overlay-pane .leaflet-tile-container canvas')) {
        const r = canvas.getBoundingClientRect();
        if (x < r.left || x >= r.right || y < r.top || y >= r.bottom) continue;
        const u = Math.floor((x - r.left) * canvas.width / r.width);
        const v = Math.floor((y - r.top) * canvas.height / r.height);
        const [red, green, blue, alpha] = canvas.getContext('2d').getImageData(u, v, 1, 1).data;
        if (alpha) return '#' + [red, green, blue].map((v) => v.toString(16).padStart(2, '0')).join('');
    }
    return null;
}"""


def test_zooming_in_draws_the_dates_vector_tiles(page, live_server, demo):
    lat, lng = BELT
    tiles = []
    page.on("request", lambda request: "/tiles/" in request.url and tiles.append(request.url))
    open_map(page, live_server, f"?date=2018-12-29&view=10/{lat}/{lng}")
    page.wait_for_function("() => document.getElementById('map').dataset.detail === 'tiles'")
    deadline = time.monotonic() + 10
    while not near(colour := page.evaluate(TILE_COLOUR), "#d62728"):
        assert time.monotonic() < deadline, f"the tile at the centre shows {colour}"
        page.wait_for_timeout(100)
    assert tiles and all("/tiles/syria/2018-12-28/10/" in url for url in tiles)  # the interval's tiles
    assert page.errors == []


def test_an_edit_shows_on_todays_map_before_the_full_rebuild(page, live_server, demo):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from conflictmap.atlas.models import Faction
    from conflictmap.editorial.workflow import Status
    from conflictmap.territory.build.head import write_head
    from conflictmap.territory.build.rebuild import plan
    from conflictmap.territory.models import ControlChange

    lat, lng = BELT
    belt = MultiPolygon(Polygon.from_bbox((lng - 0.05, lat - 0.05, lng + 0.05, lat + 0.05)), srid=4326)
    ControlChange.objects.create(theatre=demo, date=dt.date(2019, 1, 20), area=belt, status=Status.PUBLISHED,
                                 controller=Faction.objects.get(slug="isis"))  # fmt: skip
    todo = plan(demo, full=False)
    write_head(demo, todo.since, todo.region, todo.version)  # phase one only: the build is the old one
    open_map(page, live_server, f"?date=2019-01-21&view=8/{lat}/{lng}")
    wait_for_pieces(page)
    wait_for_colour_at_map_centre(page, "#262626")  # today's map: the edit (ISIS), from the head
    assert page.evaluate("document.getElementById('map').dataset.source") == "layer"
    page.locator("#prev-change").click()  # 20 January: the edit's own date, still from the head
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate === '2019-01-20'")
    wait_for_colour_at_map_centre(page, "#262626")
    assert page.evaluate("document.getElementById('map').dataset.source") == "layer"
    page.locator("#prev-change").click()  # 13 January: the previous build's pieces, unchanged
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate === '2019-01-13'")
    wait_for_colour_at_map_centre(page, "#d62728")
    assert page.evaluate("document.getElementById('map').dataset.source") == "pieces"


def test_while_a_spliced_builds_pieces_are_made_each_date_is_drawn_from_the_api(page, live_server, demo):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from conflictmap.atlas.models import Faction
    from conflictmap.editorial.workflow import Status
    from conflictmap.http import response_cache
    from conflictmap.territory.models import ControlChange, LayerBuild

    lat, lng = BELT
    belt = MultiPolygon(Polygon.from_bbox((lng - 0.05, lat - 0.05, lng + 0.05, lat + 0.05)), srid=4326)
    ControlChange.objects.create(theatre=demo, date=dt.date(2019, 1, 5), area=belt, status=Status.PUBLISHED,
                                 controller=Faction.objects.get(slug="isis"))  # fmt: skip
    assert rebuild(demo.pk).spliced_from is not None
    # The moment between the swap and store_pieces: the build is current, its pieces not yet made.
    LayerBuild.objects.filter(theatre=demo, is_current=True).update(pieces_geojson=b"", history_json=b"")
    response_cache.bump(demo.pk)
    open_map(page, live_server, f"?date=2019-01-21&view=8/{lat}/{lng}")
    wait_for_colour_at_map_centre(page, "#262626")  # the edit (ISIS), from /control/
    page.locator("#prev-change").click()  # 13 January: after the edit's date, so ISIS too
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate === '2019-01-13'")
    wait_for_colour_at_map_centre(page, "#262626")
    page.goto(f"{live_server.url}/?date=2019-01-02&view=8/{lat}/{lng}")  # before it: as it was
    page.wait_for_selector("#legend tr", timeout=15_000)
    wait_for_colour_at_map_centre(page, "#d62728")
    assert page.locator("#status").inner_text() == ""
    assert page.evaluate("document.getElementById('map').dataset.pieces") is None
    assert page.errors == []
