"""The full map on a phone (360×740) in Chromium: the page scrolls as one, with no box scrolling
inside it; the map, then the date and its controls, then the legend; the notice folded to one
line with "more"; every control at least 44 px tall."""

from tests.chromium import open_map

# Elements that scroll inside the page: overflow auto or scroll, with more content than room.
INNER_SCROLLERS = """() => [...document.querySelectorAll('body *')].filter((node) => {
    const style = getComputedStyle(node);
    return ['auto', 'scroll'].includes(style.overflowY) && node.scrollHeight > node.clientHeight + 1
        && node.offsetParent !== null;
}).map((node) => node.id || node.className)"""

# Visible controls smaller than a fingertip: [what, width, height].
SMALL_TARGETS = """() => [...document.querySelectorAll(
    'button, select, input:not([type=checkbox]), .event-key label, .event-confidence label, .leaflet-bar a')]
    .filter((node) => node.offsetParent !== null && !node.closest('.leaflet-popup'))
    .map((node) => [node.id || node.textContent.trim().slice(0, 20) || node.className, node.getBoundingClientRect()])
    .filter(([, box]) => box.width > 0 && (box.height < 43.5 || box.width < 43.5))
    .map(([what, box]) => [what, Math.round(box.width), Math.round(box.height)])"""


def test_a_phone_shows_the_map_date_controls_and_legend_in_one_scrolling_page(page, live_server, demo):
    page.set_viewport_size({"width": 360, "height": 740})
    open_map(page, live_server, "?date=2019-01-12")
    page.locator(".event-key label").first.wait_for()
    map_box = page.locator("#map").bounding_box()
    assert map_box["height"] >= 250 and map_box["width"] == 360
    slider, legend = page.locator("#date-slider").bounding_box(), page.locator("#legend").bounding_box()
    assert map_box["y"] + map_box["height"] <= slider["y"] < legend["y"], "map, then the date, then the legend"
    assert slider["y"] + slider["height"] <= 740, "the date and its slider on the first screen"
    assert page.evaluate(INNER_SCROLLERS) == []
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], small


def test_the_notice_folds_to_one_line_with_more(page, live_server, demo):
    page.set_viewport_size({"width": 360, "height": 740})
    open_map(page, live_server)
    notice, more = page.locator("#notice"), page.locator("#notice-more")
    assert notice.bounding_box()["height"] < 32 and more.is_visible()
    more.click()
    assert notice.bounding_box()["height"] > 60 and more.get_attribute("aria-expanded") == "true"
    page.set_viewport_size({"width": 1200, "height": 800})
    assert not more.is_visible(), "on a wide screen the notice is whole, with no button"
