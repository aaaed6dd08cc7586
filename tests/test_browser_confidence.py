"""Confidence on the map, in Chromium: contested land is drawn with a pattern over its holder's
colour (more than one colour in a few pixels of it), the legend's key explains the pattern with
its km², and once the change is confirmed the land is plain again."""

from tests.chromium import open_map, wait_for_pieces

WEST_ALEPPO = (36.2, 36.95)  # lat, lon: inside the lobe HTS took on 2 January, contested until 5 January

# The distinct colours in a 12-pixel square at the centre of the pieces' canvas.
CENTRE_COLOURS = """() => {
    const canvas = document.querySelector('.leaflet-overlay-pane > canvas');
    const data = canvas.getContext('2d').getImageData(canvas.width / 2 - 6, canvas.height / 2 - 6, 12, 12).data;
    const seen = new Set();
    for (let i = 0; i < data.length; i += 4) seen.add(data.slice(i, i + 3).join(','));
    return seen.size;
}"""


def test_contested_land_is_patterned_and_keyed_until_it_is_confirmed(page, live_server, demo):
    lat, lng = WEST_ALEPPO
    open_map(page, live_server, f"?date=2019-01-03&view=8/{lat}/{lng}")
    wait_for_pieces(page)
    key = page.locator("#confidence-key")
    page.wait_for_function("() => !document.getElementById('confidence-key').hidden")
    assert "Contested" in key.locator("tr[data-confidence=contested]").inner_text()
    assert "km²" in key.locator("tr[data-confidence=contested]").inner_text()
    assert "Assessed" in key.inner_text()  # the HTS core and the Badia: our judgement
    page.wait_for_function(f"() => ({CENTRE_COLOURS})() > 1")  # stripes over HTS grey
    page.screenshot(path="/tmp/confidence.png")

    page.locator("#date-slider").focus()
    for _ in range(3):  # to 6 January: confirmed
        page.keyboard.press("ArrowRight")
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate === '2019-01-06'")
    page.wait_for_function(f"() => ({CENTRE_COLOURS})() === 1")
    assert key.locator("tr[data-confidence=contested]").count() == 0


# Over the land drawn from /control/ or the tiles, the patterns are a canvas of their own: how many
# of the pixels of a 12-pixel square at its centre carry a mark (the rest are clear).
MARKED_PIXELS = """() => {
    const canvas = document.querySelector('.leaflet-confidence-pane > canvas');
    if (!canvas) return 0;
    const data = canvas.getContext('2d').getImageData(canvas.width / 2 - 6, canvas.height / 2 - 6, 12, 12).data;
    let marked = 0;
    for (let i = 3; i < data.length; i += 4) marked += data[i] > 0 ? 1 : 0;
    return marked;
}"""


def test_patterns_are_drawn_in_a_one_date_embed_and_over_the_vector_tiles(page, live_server, demo):
    """Where no pieces are drawn: an embed of one date (never scrubbed) and the streets' zooms."""
    lat, lng = WEST_ALEPPO
    page.goto(f"{live_server.url}/embed/?theatre=syria&date=2019-01-03&view=8/{lat}/{lng}")
    page.wait_for_function("() => (document.getElementById('map').dataset.patterns ?? '').includes('contested')")
    assert page.evaluate("() => document.getElementById('map').dataset.source") == "layer"
    page.wait_for_function(f"() => ({MARKED_PIXELS})() > 4")
    assert "Contested" in page.locator("#confidence-key tr[data-confidence=contested]").inner_text()
    assert page.evaluate(MARKED_PIXELS) < 12 * 12 * 0.8, "marks, with the colour beneath between them"

    open_map(page, live_server, f"?date=2019-01-06&view=11/{lat}/{lng}")  # the tiles, once confirmed
    page.wait_for_function("() => document.getElementById('map').dataset.detail === 'tiles'")
    page.wait_for_function("() => document.getElementById('map').dataset.patterns !== undefined")
    assert page.evaluate(MARKED_PIXELS) == 0
    page.locator("#date-slider").focus()
    page.keyboard.press("PageDown")  # back a change: 5 January, when it was confirmed
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate === '2019-01-05'")
    page.keyboard.press("PageDown")  # and one more: before, contested
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate < '2019-01-05'")
    page.wait_for_function("() => (document.getElementById('map').dataset.patterns ?? '').includes('contested')")
    page.wait_for_function(f"() => ({MARKED_PIXELS})() > 4")
    page.screenshot(path="/tmp/confidence-tiles.png")
