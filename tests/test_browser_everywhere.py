"""Every reader's feature of the full map again, on a phone (360×740, in English) and in Arabic
(right to left, on a desktop): who held a place, comparing dates, the area chart, confidence,
the events' key, search, the timeline's keys, a selected event and the summary. The other tests
check each at a desktop's size in English; these check the same in words that hold in either
language (data attributes, the URL, what is drawn), and that popups fit a phone's screen."""

import pytest

from tests.chromium import BELT, wait_for_pieces
from tests.test_browser_compare import STRIPES_AT_CENTRE
from tests.test_browser_confidence import WEST_ALEPPO

MAP = "document.getElementById('map')"
ARABIC = "[\u0600-\u06ff]"


@pytest.fixture(params=[("phone", "en"), ("desktop", "ar")], ids=["phone", "arabic"])
def reader(request, page, live_server):
    """Open the full map at `query` as this reader: a phone's screen, or the Arabic page."""
    size, lang = request.param
    if size == "phone":
        page.set_viewport_size({"width": 360, "height": 740})

    def go(query: str):
        page.goto(f"{live_server.url}/?lang={lang}&{query}")
        page.wait_for_selector("#legend tr", timeout=15_000)
        return page

    go.lang, go.size = lang, size
    return go


def fits_the_screen(page, selector: str) -> bool:
    """Whether it is (or comes, once the map has panned to show it) within the screen's width."""
    page.wait_for_function(
        """(selector) => {
        const box = document.querySelector(selector).getBoundingClientRect();
        return box.left >= 0 && box.right <= window.innerWidth;
    }""",
        arg=selector,
        timeout=5_000,
    )
    return True


def click_map_centre(page):
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_who_held_a_place(reader, demo):
    lat, lng = BELT
    page = reader(f"date=2019-01-10&view=9/{lat}/{lng}&types=none")  # no marker under the centre
    click_map_centre(page)
    popup = page.locator(".leaflet-popup-content .place")
    popup.wait_for(timeout=10_000)
    assert page.get_attribute("#map", "data-place").startswith("pro-government ")
    assert fits_the_screen(page, ".leaflet-popup")
    if reader.lang == "ar":
        assert page.locator(".place", has_text="كانون الأول").count() == 1  # since 28 December, in Arabic
    page.wait_for_function("() => window.location.search.includes('place=')")
    runs = popup.locator(".place-run")
    assert runs.count() >= 2
    start = runs.first.get_attribute("data-start")
    runs.first.click()
    page.wait_for_function(f"(start) => {MAP}.dataset.shownDate === start", arg=max(start, "2018-12-01"))


def test_two_dates_compared(reader, demo):
    lat, lng = BELT
    page = reader(f"date=2018-12-28&compare=2018-12-14&view=9/{lat}/{lng}")
    row = page.locator("#compare-table tr[data-faction=pro-government]")
    row.wait_for(state="visible")
    assert "353" in row.inner_text().replace("٣٥٣", "353")
    assert page.evaluate(STRIPES_AT_CENTRE) == ["#f2c500"]  # the SDF's on the 14th, striped in their yellow
    if reader.lang == "ar":
        assert page.locator("#compare-summary", has_text="كم²").count() == 1


def test_the_area_chart_and_the_legend(reader, demo):
    page = reader("date=2019-01-10")
    wait_for_pieces(page)
    chart = page.locator("#area-chart")
    chart.wait_for(state="visible")
    assert fits_the_screen(page, "#area-chart")
    box = chart.bounding_box()
    # The start of the record: on the left, or on the right when the page runs right to left.
    x = box["width"] - 8 if reader.lang == "ar" else 8
    chart.click(position={"x": x, "y": box["height"] / 2})
    page.wait_for_function(f"() => {MAP}.dataset.shownDate < '2018-12-05'")
    assert page.locator("#legend tr[data-faction=pro-government]").count() == 1


def test_confidence_is_keyed_and_patterned(reader, demo):
    lat, lng = WEST_ALEPPO
    page = reader(f"date=2019-01-03&view=8/{lat}/{lng}")
    page.wait_for_function("() => !document.getElementById('confidence-key').hidden")
    contested = page.locator("#confidence-key tr[data-confidence=contested]")
    contested.wait_for()
    if reader.lang == "ar":
        assert page.locator("#confidence-key tr[data-confidence=contested]", has_text="كم²").count() == 1


def test_the_events_key_filters_the_markers(reader, demo):
    page = reader("date=2019-01-12")
    boxes = page.locator(".event-key input[type=checkbox]")
    boxes.first.wait_for()
    page.wait_for_function(f"() => {MAP}.dataset.markersDate === '2019-01-12'")
    before = int(page.get_attribute("#map", "data-markers"))
    for index in range(boxes.count()):
        boxes.nth(index).uncheck()
    page.wait_for_function(f"() => {MAP}.dataset.markers === '0'")
    assert before > 0
    page.wait_for_function("() => window.location.search.includes('types=none')")
    page.reload()  # a shared link of no types shows none, and lists none
    page.wait_for_function(f"() => {MAP}.dataset.markersDate === '2019-01-12'")
    assert page.get_attribute("#map", "data-markers") == "0"
    assert page.locator("#event-list li").count() == 0


def test_search_takes_the_map_to_a_place(reader, demo):
    page = reader("date=2019-01-10")
    page.fill("#search", "منبج" if reader.lang == "ar" else "Manbij")
    found = page.locator("#search-results button").first
    found.wait_for()
    found.click()
    page.locator(".leaflet-popup-content .place").wait_for(timeout=10_000)
    assert fits_the_screen(page, ".leaflet-popup")


def test_the_timeline_keys_step_by_change_and_back_returns(reader, demo):
    page = reader("date=2018-12-01")
    slider = page.locator("#date-slider")
    slider.focus()
    page.keyboard.press("PageUp")  # the next change
    page.wait_for_function(f"() => {MAP}.dataset.shownDate === '2018-12-14'")
    said = slider.get_attribute("aria-valuetext")
    assert said == page.locator("#date-label").inner_text()
    assert ("كانون الأول" in said) if reader.lang == "ar" else (said == "14 December 2018")
    page.go_back()
    page.wait_for_function(f"() => {MAP}.dataset.shownDate === '2018-12-01'")


def test_a_selected_event_opens_and_fits(reader, demo):
    page = reader("date=2019-01-12")
    title = page.locator("#event-list li a.event-title").first
    title.wait_for()
    title.click()
    page.locator(".leaflet-popup.selected-event").wait_for()
    assert fits_the_screen(page, ".leaflet-popup.selected-event")
    page.wait_for_function("() => new URLSearchParams(window.location.search).has('event')")


def test_the_date_is_summed_up_in_words(reader, demo):
    page = reader("date=2018-12-28")
    page.wait_for_function("() => document.getElementById('summary').textContent.length > 40")
    text = page.locator("#summary").inner_text()
    assert ("منبج" in text) if reader.lang == "ar" else ("Manbij" in text)
