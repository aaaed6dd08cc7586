"""Comparing two dates on the full map, in Chromium: the land that changed hands hatched in the
colour of its holder on the other date, the table of km² with the net, the events between, and
the comparison in the URL, picked, restored and cleared."""

from tests.chromium import BELT, open_map

# The stripe colour of each hatched path under the map's centre.
STRIPES_AT_CENTRE = """() => {
    const map = document.getElementById('map').getBoundingClientRect();
    const [x, y] = [map.left + map.width / 2, map.top + map.height / 2];
    return [...document.querySelectorAll('#map path')]
        .filter((path) => (path.getAttribute('fill') || '').startsWith('url(#hatch-'))
        .filter((path) => path.isPointInFill(new DOMPoint(x, y).matrixTransform(path.getScreenCTM().inverse())))
        .map((path) => document.querySelector(`${path.getAttribute('fill').slice(4, -1)} rect`).getAttribute('fill'));
}"""


def test_two_dates_compare_on_the_map_in_a_table_and_in_the_url(page, live_server, demo):
    lat, lng = BELT
    open_map(page, live_server, f"?date=2018-12-28&compare=2018-12-14&view=9/{lat}/{lng}")
    table = page.locator("#compare-table")
    table.wait_for(state="visible")
    government = table.locator("tr[data-faction=pro-government]")
    assert "+353" in government.inner_text() and "114,393" in government.inner_text()
    assert "−353" in table.locator("tr[data-faction=sdf]").inner_text()
    summary = page.locator("#compare-summary").inner_text()
    assert "353 km² changed hands" in summary and "1 change date" in summary and "events between" in summary
    assert page.locator("#compare-date").input_value() == "2018-12-14"
    # The belt was the SDF's on the 14th: striped in their yellow over the government's red.
    assert page.evaluate(STRIPES_AT_CENTRE) == ["#f2c500"]
    page.screenshot(path="/tmp/compare.png")

    page.fill("#compare-date", "2019-01-20")  # a later date: the belt has not changed hands since
    page.wait_for_function("() => document.getElementById('map').dataset.compared === '2018-12-28/2019-01-20'")
    assert page.evaluate(STRIPES_AT_CENTRE) == []
    page.wait_for_function("() => window.location.search.includes('compare=2019-01-20')")

    page.click("#compare-clear")
    page.wait_for_function("() => !window.location.search.includes('compare=')")
    assert not table.is_visible() and page.evaluate(STRIPES_AT_CENTRE) == []
    assert page.locator("#map path[fill^='url(#hatch-']").count() == 0
