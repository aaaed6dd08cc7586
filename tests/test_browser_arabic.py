"""The map in Arabic, in Chromium: right to left, the interface's words and the factions', places'
and events' names in Arabic, dates in Arabic, the slider running from the right, the summary said
in Arabic, and a language switch that keeps the view."""

from tests.chromium import open_map

THUMB_X = (
    "() => { const s = document.getElementById('date-slider'); const box = s.getBoundingClientRect();"
    " return box.left + box.width * (s.value - s.min) / (s.max - s.min); }"
)


def test_the_map_reads_right_to_left_in_arabic_and_switches_back_keeping_the_view(page, live_server, demo):
    open_map(page, live_server, "?lang=ar&date=2018-12-28")
    assert page.evaluate("() => [document.documentElement.lang, document.documentElement.dir]") == ["ar", "rtl"]
    assert "سوريا" in page.title() and "من يسيطر" in page.locator(".subtitle").inner_text()
    legend = page.locator("#legend").inner_text()
    assert "القوات الموالية للحكومة" in legend and "قوات سوريا الديمقراطية" in legend and "كم²" in legend
    assert "كانون الأول" in page.locator("#date-label").inner_text()  # 28 December, as the Levant says it
    assert page.locator(".basemap-label-name[lang=ar]", has_text="دمشق").count() == 1  # Damascus
    page.wait_for_function("() => document.getElementById('summary').textContent.includes('منبج')")
    page.locator("#event-list li").first.wait_for()
    assert any("\u0600" <= ch <= "\u06ff" for ch in page.locator("#event-list li strong").first.inner_text())
    assert page.locator("#play").inner_text() == "تشغيل"
    # The slider runs from the right: its right end is the first day of the record.
    box = page.locator("#date-slider").bounding_box()
    page.mouse.click(box["x"] + box["width"] - 2, box["y"] + box["height"] / 2)
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate === '2018-12-01'")
    page.locator("#date-slider").focus()
    page.keyboard.press("PageUp")  # the next change: 14 December
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate === '2018-12-14'")
    switch = page.locator("#language-switch")
    assert switch.inner_text() == "English"
    with page.expect_navigation():
        switch.click()
    page.wait_for_function("() => document.getElementById('map')?.dataset.shownDate === '2018-12-14'")
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert page.evaluate("() => document.documentElement.dir") == "ltr"
    assert "Pro-government forces" in page.locator("#legend").inner_text()


def test_an_embed_of_a_saved_arabic_view_is_arabic(page, live_server, demo):
    from conflictmap.embeds.models import MapView

    MapView.objects.create(slug="manbij-ar", title="منبج", theatre=demo, language="ar")
    page.goto(f"{live_server.url}/embed/manbij-ar/")
    page.wait_for_selector("#legend tr", timeout=15_000)
    assert page.evaluate("() => document.documentElement.dir") == "rtl"
    assert "القوات الموالية للحكومة" in page.locator("#legend").inner_text()
    assert "?lang=ar" in page.get_attribute("#full-map", "href") or "lang=ar" in page.get_attribute("#full-map", "href")
