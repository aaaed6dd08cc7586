"""Click a place, as a reader does in Chromium: who held it on the date shown, since when, on whose
report, and its history as a strip whose segments move the slider; at the overview's zooms and
the vector tiles' alike, whatever markers are drawn on top; Enter on the focused map too."""

import pytest

from tests.chromium import BELT, open_map, wait_for_pieces

POPUP = ".leaflet-popup-content .place"


def click_centre(page):
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


@pytest.mark.parametrize("zoom", [8, 11])  # the pieces' overview, the vector tiles
def test_clicking_a_place_says_who_held_it_since_when_and_the_strip_moves_the_slider(page, live_server, demo, zoom):
    lat, lng = BELT
    open_map(page, live_server, f"?date=2019-01-10&view={zoom}/{lat}/{lng}")
    if zoom < 9:
        wait_for_pieces(page)
    page.wait_for_function("() => document.getElementById('map').dataset.markersDate === '2019-01-10'")
    click_centre(page)
    popup = page.locator(POPUP)
    popup.wait_for(timeout=10_000)
    text = popup.inner_text()
    assert "Syrian government and allies" in text or "pro-government" in text.lower(), text
    assert "since 28 December 2018" in text
    assert popup.locator(".sources a").count() >= 1, "the change's sources, as links"
    runs = popup.locator(".place-run")
    assert runs.count() >= 2  # the SDF before 28 December, then the government
    earlier = runs.first
    start = earlier.get_attribute("data-start")
    earlier.click()
    page.wait_for_function(
        "(start) => document.getElementById('map').dataset.shownDate === start", arg=max(start, "2018-12-01")
    )


def test_enter_on_the_focused_map_asks_about_its_centre(page, live_server, demo):
    lat, lng = BELT
    open_map(page, live_server, f"?date=2018-12-20&view=9/{lat}/{lng}")
    page.locator("#map").focus()
    page.keyboard.press("Enter")
    page.locator(POPUP).wait_for(timeout=10_000)
    assert "since" in page.locator(POPUP).inner_text()
    assert page.get_attribute("#map", "data-place").startswith("sdf ")


def test_a_place_outside_the_theatre_says_so(page, live_server, demo):
    open_map(page, live_server, "?date=2019-01-10&view=8/34.0/35.5")  # Lebanon's coast
    click_centre(page)
    page.wait_for_function(
        "() => document.querySelector('.leaflet-popup-content')?.textContent.includes('outside')", timeout=10_000
    )


def test_the_spot_open_is_in_the_address_and_a_shared_link_opens_it(page, live_server, demo):
    lat, lng = BELT
    # No event types shown, so that no marker under the centre takes the click.
    open_map(page, live_server, f"?date=2019-01-10&view=9/{lat}/{lng}&types=none")
    click_centre(page)
    popup = page.locator(POPUP)
    popup.wait_for(timeout=10_000)
    page.wait_for_function(f"() => window.location.search.includes('place={lat:.2f}')")
    shared = page.url
    page.goto(shared)  # a reader opening the shared link
    popup.wait_for(timeout=10_000)
    assert "since 28 December 2018" in popup.inner_text()
    page.locator(".leaflet-popup-close-button").click()
    page.wait_for_function("() => !window.location.search.includes('place=')")
