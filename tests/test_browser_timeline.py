"""The timeline by keyboard and by pick, in Chromium: PageUp/PageDown by change, Home/End, space
to play at the chosen speed, a date picker, a slider that announces a date, the events histogram,
and Back/Forward between the dates the reader picked (dragging and playing replace)."""

from tests.chromium import open_map

SHOWN = "() => document.getElementById('map').dataset.shownDate"
PAINTED = """() => {
    const canvas = document.querySelector('.timeline-histogram');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 3; i < data.length; i += 4) if (data[i]) return true;
    return false;
}"""


def shown(page, date):
    page.wait_for_function(f"(date) => ({SHOWN})() === date", arg=date)


def test_the_keyboard_steps_by_change_and_back_returns_to_each_picked_date(page, live_server, demo):
    open_map(page, live_server, "?date=2018-12-20")
    slider = page.locator("#date-slider")
    assert slider.get_attribute("aria-valuetext") == "20 December 2018"
    slider.focus()
    page.keyboard.press("PageUp")  # the next change: the Manbij belt
    shown(page, "2018-12-28")
    assert slider.get_attribute("aria-valuetext") == "28 December 2018"
    page.wait_for_function("() => window.location.search.includes('date=2018-12-28')")
    page.keyboard.press("PageDown")
    shown(page, "2018-12-14")
    page.keyboard.press("ArrowRight")  # a day, as dragging: replaces the entry, no new one
    shown(page, "2018-12-15")
    page.fill("#date-picker", "2019-01-05")
    shown(page, "2019-01-05")
    page.wait_for_function("() => window.location.search.includes('date=2019-01-05')")
    page.go_back()
    shown(page, "2018-12-15")  # the entry of the 14th, replaced by the day stepped to from it
    page.go_back()
    shown(page, "2018-12-28")
    page.go_forward()
    shown(page, "2018-12-15")
    assert page.evaluate(PAINTED), "the events histogram is drawn along the slider"


def test_space_plays_at_the_chosen_speed_and_pauses(page, live_server, demo):
    open_map(page, live_server, "?date=2018-12-01")
    page.select_option("#play-speed", "7")
    page.locator("#date-slider").focus()
    page.keyboard.press(" ")
    assert page.get_attribute("#play", "aria-pressed") == "true"
    page.wait_for_function(f"() => ({SHOWN})() >= '2018-12-15'")
    page.keyboard.press(" ")
    assert page.get_attribute("#play", "aria-pressed") == "false"
    day = int(page.evaluate(f"() => ({SHOWN})()")[-2:])
    assert (day - 1) % 7 == 0, "a week a step from the 1st"
