"""A selected event, in Chromium: a card's title selects it (its card open on the map, the date
moved to show it), the URL names it so that a shared link opens it, Back closes it, and an
embed's titles link to it on the full map."""

from tests.chromium import open_map

MAP = "document.getElementById('map')"
SELECTED = ".leaflet-popup.selected-event"
EVENT_ID = "() => new URLSearchParams(window.location.search).get('event')"


def test_a_title_selects_the_event_and_a_shared_link_opens_it(page, live_server, demo):
    open_map(page, live_server, "?date=2019-01-12")
    title = page.locator("#event-list li a.event-title").first
    title.wait_for()
    name = title.inner_text()
    title.click()
    card = page.locator(SELECTED)
    card.wait_for()
    assert name in card.inner_text()
    page.wait_for_function(f"() => ({EVENT_ID})() !== null")
    chosen = page.evaluate(EVENT_ID)
    assert page.evaluate(f"() => {MAP}.dataset.selectedEvent") == chosen

    page.go_back()  # the pick was a history entry: Back closes the card
    page.wait_for_function(f"() => ({EVENT_ID})() === null && !document.querySelector('{SELECTED}')")
    page.go_forward()
    card.wait_for()

    page.goto(f"{live_server.url}/?theatre=syria&date=2018-12-01&event={chosen}")  # a shared link, another date
    card.wait_for()
    assert name in card.inner_text()
    date = page.request.get(f"{live_server.url}/api/v1/events/{chosen}/").json()["properties"]["date"]
    page.wait_for_function(f"() => {MAP}.dataset.shownDate === '{date}'")  # moved so that the markers show it
    card.locator(".leaflet-popup-close-button").click()
    page.wait_for_function(f"() => ({EVENT_ID})() === null")


def test_an_event_without_a_place_opens_at_the_centre_and_says_so(page, live_server, demo):
    open_map(page, live_server, "?date=2019-01-12")
    page.locator("#event-list li", has_text="Jarjanaz").locator("a.event-title").click()
    card = page.locator(SELECTED)
    card.wait_for()
    assert "No location" in card.inner_text()


def test_a_link_to_an_unknown_event_says_so_and_the_map_still_works(page, live_server, demo):
    # The control layer arrives after the event's 404 (the scrubbing pieces, which would draw
    # the date without it, never do): drawing it keeps the message.
    held = []
    page.route("**/api/v1/control/?*", lambda route: held.append(route))
    page.route("**/api/v1/pieces/?*", lambda route: None)
    page.goto(f"{live_server.url}/t/syria/?date=2019-01-12&event=999999")
    says_so = "() => document.getElementById('status').textContent.includes('Could not open the event')"
    page.wait_for_function(says_so)
    for _ in range(100):
        if held:
            break
        page.wait_for_timeout(100)  # (not time.sleep: Playwright's routes wait on this thread)
    assert held, "the map asked for its layer"
    for route in held:
        route.continue_()
    page.wait_for_function(f"() => {MAP}.dataset.shownDate === '2019-01-12'")
    assert page.evaluate(says_so)


def test_an_embeds_titles_open_the_event_on_the_full_map(page, live_server, demo):
    page.goto(f"{live_server.url}/embed/?theatre=syria&date=2019-01-12")
    page.click(".embed-events summary")
    title = page.locator("#event-list li a.event-title").first
    title.wait_for()
    href = title.get_attribute("href")
    assert href.startswith("/t/syria/?") and "event=" in href and title.get_attribute("target") == "_blank"
