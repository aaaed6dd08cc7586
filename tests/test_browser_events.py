"""The map page's event markers in Chromium: drawn once the date rests, coloured by the API's
event types, opened to their events and sources, and never running text as HTML."""

import datetime as dt

import pytest

from tests.chromium import near, open_map, wait_for_pieces

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# The opacity the event markers' canvas (centred on the map, like the map's panes) has at the centre.
MARKER_ALPHA_AT_CENTRE = """() => {
    const canvas = document.querySelector('.leaflet-events-pane canvas');
    return canvas.getContext('2d').getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data[3];
}"""


DRAG_THE_SLIDER = """async (steps) => {
    const slider = document.getElementById('date-slider');
    const map = document.getElementById('map');
    const drawn = [];
    new MutationObserver(() => drawn.push(map.dataset.markersDate))
        .observe(map, { attributes: true, attributeFilter: ['data-markers-date'] });
    slider.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }));  // held: a drag
    for (let i = 0; i < steps; i++) {
        slider.value = Number(slider.value) + 1;
        slider.dispatchEvent(new Event('input'));
        await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    }
    window.dispatchEvent(new PointerEvent('pointerup'));
    const last = new Date(Number(slider.value) * 86400000).toISOString().slice(0, 10);
    while (map.dataset.markersDate !== last) await new Promise((done) => setTimeout(done, 10));
    return { drawn, last, shown: map.dataset.shownDate };
}"""


def test_while_the_slider_is_dragged_markers_wait_and_then_show_the_last_date(page, live_server, demo):
    open_map(page, live_server, "?date=2018-12-20")
    wait_for_pieces(page)
    page.wait_for_function("() => document.getElementById('map').dataset.markersDate === '2018-12-20'")
    dragged = page.evaluate(DRAG_THE_SLIDER, 12)
    assert dragged["last"] == "2019-01-01" and dragged["shown"] == "2019-01-01"
    # The territory was redrawn at every date; the markers only once the date rested, for it.
    assert dragged["drawn"][-1] == "2019-01-01" and len(dragged["drawn"]) <= 2, dragged["drawn"]
    assert int(page.evaluate("document.getElementById('map').dataset.markers")) > 0
    assert page.errors == []


# The colour of the event markers' canvas at the centre of the map, as #rrggbb.
MARKER_COLOUR_AT_CENTRE = """() => {
    const canvas = document.querySelector('.leaflet-events-pane canvas');
    const [r, g, b, a] = canvas.getContext('2d').getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data;
    return a ? '#' + [r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('') : null;
}"""


def test_event_markers_take_their_colours_from_the_apis_event_types(page, live_server, demo, monkeypatch):
    from conflictmap.events.models import Event

    # The server's one list of colours (Event.TYPE_COLORS), read once at start: every type in green.
    monkeypatch.setattr(Event, "TYPE_COLORS", dict.fromkeys(Event.Type.values, "#00a050"))
    types = []
    page.on("request", lambda request: "/event-types/" in request.url and types.append(request.url))
    open_map(page, live_server, "?date=2019-01-16&view=9/36.52815/37.95495")  # a marker at Manbij, centred
    page.wait_for_function("() => Number(document.getElementById('map').dataset.markers) > 0")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    assert near(page.evaluate(MARKER_COLOUR_AT_CENTRE), "#00a050")
    assert len(types) == 1


def test_clicking_a_marker_shows_the_events_there_with_their_sources(page, live_server, demo):
    # Manbij, mid-January: the bombing of 16 January and the Russian patrols of 8 January.
    open_map(page, live_server, "?date=2019-01-16&view=9/36.52815/37.95495")
    # Events load on their own after the layer: click once the markers are on the canvas.
    page.wait_for_function("() => Number(document.getElementById('map').dataset.markers) > 0")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    # The marker is painted there (stamped from a bitmap, frontend/js/sprite-canvas.js), opaque.
    assert page.evaluate(MARKER_ALPHA_AT_CENTRE) >= 230
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content")
    popup.locator(".event-card").first.wait_for()  # the events there are fetched as the popup opens
    text = popup.inner_text()
    assert "16 January 2019" in text and "8 January 2019" in text
    assert text.index("16 January 2019") < text.index("8 January 2019")  # newest first
    links = popup.locator(".sources a")
    assert links.count() >= 2
    assert all(href.startswith("http") for href in links.evaluate_all("links => links.map(a => a.href)"))


XSS = '<img src=x onerror="window.__xss = 1">'


def test_text_from_the_api_never_runs_as_html(page, live_server, demo):
    from conflictmap.atlas.models import Source
    from conflictmap.events.models import Event

    event = Event.objects.order_by("-date")[0]
    event.title, event.description = XSS, f"<script>window.__xss = 2</script>{XSS}"
    event.save()
    event.sources.add(Source.objects.create(title=XSS, publisher=XSS, url="javascript:window.__xss=3"))
    open_map(page, live_server, f"?date={event.date:%Y-%m-%d}")
    page.locator("#event-list li").first.wait_for()
    assert XSS in page.locator("#event-list").inner_text()  # shown as text
    assert page.locator("#event-list img").count() == 0
    assert page.locator("#event-list a[href^='javascript']").count() == 0
    assert page.evaluate("window.__xss") is None


def test_no_payload_of_the_corpus_runs_in_an_event_popup(page, live_server, demo):
    from conflictmap.atlas.models import Place, Source
    from conflictmap.editorial.workflow import Status
    from conflictmap.events.models import Event
    from tests.test_markup import PAYLOADS

    manbij, source = Place.objects.get(name="Manbij"), Source.objects.exclude(url="").first()
    texts = [*PAYLOADS, "**Safe** and [a link](https://example.org/)"]
    for number, text in enumerate(texts):
        event = Event.objects.create(theatre=demo, date=dt.date(2019, 1, 16), title=f"Payload {number}", type="other",
                                     description=text, place=manbij, status=Status.PUBLISHED)  # fmt: skip
        event.sources.add(source)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    open_map(page, live_server, f"?date=2019-01-16&view=10/{manbij.point.y}/{manbij.point.x}")
    page.wait_for_function("() => Number(document.getElementById('map').dataset.markers) > 0")
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    popup = page.locator(".leaflet-popup-content")
    page.wait_for_function(
        f"() => document.querySelectorAll('.leaflet-popup-content .event-card').length > {len(texts)}"
    )
    page.wait_for_timeout(500)  # time for any handler or refresh to fire
    assert page.evaluate("window.__xss") is None and dialogs == []
    dangerous = "script, img, svg, iframe, object, embed, form, input, style, base, meta, video, details, math"
    assert popup.locator(dangerous).count() == 0
    hrefs = popup.locator(".event-description a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "https://example.org/" in hrefs  # a link refused keeps its text, with no href at all:
    assert all(href is None or href.startswith("https://") for href in hrefs), hrefs
    assert popup.locator(".event-description strong", has_text="Safe").count() == 1


STEP_THEN_NEXT_FRAME = """async () => {
    const slider = document.getElementById('date-slider');
    const map = document.getElementById('map');
    slider.value = Number(slider.value) + 1;  // a key's step: no pointer held
    slider.dispatchEvent(new Event('input'));
    await new Promise((done) => requestAnimationFrame(done));
    return { shown: map.dataset.shownDate, markers: map.dataset.markersDate };
}"""


def test_a_step_draws_its_markers_in_the_frame_that_draws_its_territory(page, live_server, demo):
    """A reader stepping with the keys or buttons rests on each date: its markers are not held back."""
    open_map(page, live_server, "?date=2018-12-20")
    wait_for_pieces(page)
    page.wait_for_function("() => document.getElementById('map').dataset.markersDate === '2018-12-20'")
    page.wait_for_load_state("networkidle")  # the months of points around are loaded
    stepped = page.evaluate(STEP_THEN_NEXT_FRAME)
    assert stepped == {"shown": "2018-12-21", "markers": "2018-12-21"}
