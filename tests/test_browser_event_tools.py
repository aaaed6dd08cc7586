"""The events a reader can work with, in Chromium: a key of the markers' shapes and colours that
filters by type, filters by side and by how sure the reports are (in the URL), close markers
clustered with counts at low zoom (a click zooms in), events without a location listed as such,
and a search box for places and events that moves the map and the slider."""

from tests.chromium import open_map

MAP = "document.getElementById('map')"


def markers_for(page, date):
    page.wait_for_function(f"() => {MAP}.dataset.markersDate === '{date}'")
    return int(page.evaluate(f"() => {MAP}.dataset.markers"))


def test_the_key_filters_types_and_the_reports_filter_asks_the_server(page, live_server, demo):
    open_map(page, live_server, "?date=2019-01-12&view=8/35.6/36.7")  # the Idlib zone
    shelling = page.locator(".event-key label[data-type=shelling]")
    shelling.wait_for()
    assert shelling.locator("canvas.shape-swatch").count() == 1 and "Shelling" in shelling.inner_text()
    before = markers_for(page, "2019-01-12")
    page.wait_for_function("() => document.getElementById('event-list').innerText.includes('Tamanaa')")
    shelling.locator("input").uncheck()
    page.wait_for_function(f"(before) => Number({MAP}.dataset.markers) < before", arg=before)
    page.wait_for_function("() => window.location.search.includes('types=')")
    assert "shelling" not in page.evaluate("() => new URLSearchParams(window.location.search).get('types')")
    page.wait_for_function("() => !document.getElementById('event-list').innerText.includes('Tamanaa')")
    shelling.locator("input").check()
    with page.expect_request(
        lambda request: "/events/points/" in request.url and "confidence=high%2Cmedium" in request.url
    ):
        page.locator(".event-confidence label[data-confidence=low] input").uncheck()
    page.wait_for_function("() => window.location.search.includes('confidence=high%2Cmedium')")


def test_close_markers_cluster_at_low_zoom_and_a_click_zooms_in(page, live_server, demo):
    open_map(page, live_server, "?date=2018-12-31&view=6/36.5/37.95")  # Manbij and al-Arimah, 20 km apart
    markers_for(page, "2018-12-31")
    assert int(page.evaluate(f"() => {MAP}.dataset.clusters")) >= 1
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => !window.location.search.includes('view=6%2F')")
    page.wait_for_function(f"() => {MAP}.dataset.clusters === '0'")
    assert page.locator(".place-popup").count() == 0, "a marker's click is its own, not the map's"


def test_an_event_without_a_location_is_listed_and_says_so(page, live_server, demo):
    open_map(page, live_server, "?date=2019-01-12")
    card = page.locator("#event-list li", has_text="Rocket fire destroys homes and a mosque in Jarjanaz")
    card.wait_for()
    assert "No location" in card.inner_text()


def test_search_finds_places_and_events_and_takes_the_map_there(page, live_server, demo):
    open_map(page, live_server, "?date=2018-12-20")
    page.fill("#search", "Maarrat")
    results = page.locator("#search-results")
    results.locator("button", has_text="Government rockets and artillery kill 11 civilians").wait_for()
    assert results.locator("button", has_text="Maarrat al-Nu'man").count() >= 2  # the place, and the event
    page.keyboard.press("ArrowDown")  # the keyboard reaches the results
    assert page.evaluate("() => document.activeElement.closest('#search-results') !== null")
    results.locator("button", has_text="Government rockets and artillery kill 11 civilians").click()
    page.wait_for_function(f"() => {MAP}.dataset.shownDate === '2019-01-29'")
    page.wait_for_function("() => window.location.search.includes('date=2019-01-29')")
    assert "kill 11 civilians" in page.locator(".leaflet-popup.selected-event").inner_text()  # its card, open
    page.wait_for_function("() => new URLSearchParams(window.location.search).has('event')")
    page.fill("#search", "Manbij")
    results.locator("button", has_text="Manbij").first.click()
    page.locator(".leaflet-popup-content .place").wait_for()  # who held it, there
    assert page.evaluate("() => Number(new URLSearchParams(window.location.search).get('view').split('/')[0])") >= 10


def test_words_typed_before_the_search_script_came_are_searched(page, live_server, demo):
    """The search box is on the page before its script (imported after the map's first view): a
    reader who types at once is answered once the script comes, without typing again."""
    held = []
    page.route("**/static/frontend/js/search.js", lambda route: held.append(route))
    page.goto(f"{live_server.url}/?date=2019-01-10")
    page.wait_for_function("() => document.getElementById('search')")
    page.fill("#search", "Manbij")
    page.wait_for_timeout(500)
    assert held, "the search script was asked for and held"
    held[0].continue_()
    page.locator("#search-results button").first.wait_for(timeout=10_000)
