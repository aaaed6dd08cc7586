"""Front lines on the map, in Chromium: a dark line where two opposing sides meet, none where
allies meet, and their entry under the legend with the km of each pair of sides."""

import datetime as dt

import pytest
import shapely
from django.contrib.gis.geos import MultiPolygon, Polygon
from shapely.geometry import box, shape

from conflictmap.atlas.models import Faction
from conflictmap.editorial.workflow import Status
from conflictmap.territory.build.rebuild import rebuild
from conflictmap.territory.models import ControlChange
from tests.chromium import open_map

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DAY = "2018-12-20"

# Whether the map's centre lies on a drawn front line: the lines are SVG paths in a pane of their
# own, so the stroke itself is asked (no pixels of the territory beneath get in the way).
FRONT_AT_CENTRE = """() => {
    const box = document.getElementById('map').getBoundingClientRect();
    const svg = document.querySelector('.leaflet-fronts-pane svg');
    if (!svg) return false;
    const point = new DOMPoint(box.left + box.width / 2, box.top + box.height / 2)
        .matrixTransform(svg.getScreenCTM().inverse());
    return [...svg.querySelectorAll('path')].some((path) => path.isPointInStroke(point));
}"""


def fronts_drawn(page, day=DAY):
    page.wait_for_function(f"() => document.getElementById('map').dataset.frontsDate <= '{day}'", timeout=15_000)
    return page.evaluate("() => document.getElementById('map').dataset.fronts").split()


def square_given(demo, client, slug):
    """A square deep in government land on DAY, given to `slug` on 10 December, published and built."""
    layer = client.get("/api/v1/control/", {"theatre": "syria", "date": DAY}).json()
    government = next(shape(f["geometry"]) for f in layer["features"] if f["properties"]["faction"] == "pro-government")
    squares = [box(west, south, west + 0.3, south + 0.3) for west, south in [(37.0, 34.6), (36.9, 34.0), (37.4, 35.2)]]
    square = next(square for square in squares if government.contains(square.buffer(0.3)))
    area = MultiPolygon(Polygon.from_bbox(square.bounds), srid=4326)
    ControlChange.objects.create(theatre=demo, date=dt.date(2018, 12, 10), controller=Faction.objects.get(slug=slug),
                                 status=Status.PUBLISHED, area=area)  # fmt: skip
    rebuild(demo.pk)
    return square


def test_a_front_is_drawn_where_two_sides_meet_and_keyed_with_its_km(page, live_server, demo, client):
    body = client.get("/api/v1/control/fronts/", {"theatre": "syria", "date": DAY, "detail": "overview"}).json()
    [pair] = [pair for pair in body["pairs"] if pair["sides"] == ["pro-government", "sdf"]]
    line = max((shape(f["geometry"]) for f in body["features"] if f["properties"]["sides"] == pair["sides"]),
               key=lambda lines: lines.length)  # fmt: skip
    longest = max(shapely.get_parts(line), key=lambda part: part.length)
    lon, lat = longest.coords[len(longest.coords) // 2]  # a vertex: the drawn line passes through it
    open_map(page, live_server, f"?date={DAY}&view=8/{lat}/{lon}")
    assert "pro-government|sdf" in fronts_drawn(page)
    page.wait_for_function(FRONT_AT_CENTRE)
    row = page.locator("#fronts-key tr[data-front-pair='pro-government|sdf']")
    assert f"{round(pair['km']):,} km" in row.inner_text()
    assert "Front line" in page.locator("#fronts-key").inner_text()
    # ISIS's Badia pocket is held as our analysts assess it: its fronts are dashed, and keyed so.
    assert any(f["properties"]["confidence"] == "assessed" for f in body["features"])
    assert page.locator(".leaflet-fronts-pane path[stroke-dasharray]").count() > 0
    assert page.locator("#fronts-key tr[data-front=unsure]").count() == 1
    page.screenshot(path="/tmp/fronts.png")


def test_no_front_is_drawn_between_allies(page, live_server, demo, client):
    """Russia, a member of the pro-government coalition, takes a square deep in government land:
    the square's edges are no front; a square given to ISIS instead would have one."""
    square = square_given(demo, client, "russia")
    west, south, _, north = square.bounds
    open_map(page, live_server, f"?date={DAY}&view=8/{(south + north) / 2}/{west}")  # the square's west edge
    drawn = fronts_drawn(page)
    assert drawn and not any("russia" in pair for pair in drawn)
    assert page.evaluate(FRONT_AT_CENTRE) is False
    assert page.evaluate("() => document.getElementById('map').dataset.detail") != "tiles"

    isis = Faction.objects.get(slug="isis")  # the same square held by an enemy: a front all round it
    ControlChange.objects.create(theatre=demo, date=dt.date(2018, 12, 11), controller=isis, status=Status.PUBLISHED,
                                 area=MultiPolygon(Polygon.from_bbox(square.bounds), srid=4326))  # fmt: skip
    rebuild(demo.pk)
    open_map(page, live_server, f"?date={DAY}&view=8/{(south + north) / 2}/{west}")
    fronts_drawn(page)
    page.wait_for_function(FRONT_AT_CENTRE)


def api_pairs(client, day):
    body = client.get("/api/v1/control/fronts/", {"theatre": "syria", "date": day}).json()
    return sorted("|".join(pair["sides"]) for pair in body["pairs"])


# One date: the country view's areas; a slider: the scrubbing pieces, with their holders' kind.
@pytest.mark.parametrize("query", [f"date={DAY}", f"from=2018-12-01&to={DAY}"], ids=["one date", "a slider"])
def test_an_embed_finds_its_fronts_in_what_it_draws_and_asks_for_none(page, live_server, demo, client, query):
    """The sides that meet are the API's (none along contested land, a status and no side), the
    line is drawn, and its key has no km (the lines are the simplified ones the embed draws)."""
    square_given(demo, client, "contested")
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    page.goto(f"{live_server.url}/embed/?theatre=syria&{query}")
    # Found again in what is drawn next: the small country view first, then the overview (a large
    # frame) or the pieces (a slider).
    drawn_from = "pieces overview" if "from=" in query else "layer overview"
    page.wait_for_function(f"() => document.getElementById('map').dataset.frontsOf?.endsWith(' {drawn_from}')")
    assert fronts_drawn(page) == api_pairs(client, DAY)
    assert not any("contested" in pair for pair in api_pairs(client, DAY))
    assert page.locator(".leaflet-fronts-pane path").count() > 0
    assert page.locator("#fronts-key tr[data-front=line]").is_visible()
    assert "km" not in page.locator("#fronts-key").inner_text()
    assert not [url for url in asked if "/control/fronts/" in url]
    if "from=" in query:  # back to the first day of the slider: that date's sides, from the pieces
        page.locator("#date-slider").focus()
        page.keyboard.press("Home")
        assert fronts_drawn(page, "2018-12-01") == api_pairs(client, "2018-12-01")
        assert page.evaluate("() => document.getElementById('map').dataset.frontsDate") == "2018-12-01"


def test_an_embed_takes_sides_as_the_api_does_with_coalitions_within_coalitions(page, live_server, demo, client):
    """Russia in a northern group within the pro-government coalition: still the government's side
    (the top coalition), so its square in government land has no front, in the API or the embed."""
    north = Faction.objects.create(slug="pro-government-north", name="Northern group", short_name="NG",
                                   color="#aa3333", kind=Faction.Kind.COALITION,
                                   parent=Faction.objects.get(slug="pro-government"))  # fmt: skip
    north.theatres.add(demo)
    Faction.objects.filter(slug="russia").update(parent=north)
    square_given(demo, client, "russia")
    page.goto(f"{live_server.url}/embed/?theatre=syria&date={DAY}")
    drawn = fronts_drawn(page)
    assert drawn == api_pairs(client, DAY)
    assert not any("russia" in pair or "north" in pair for pair in drawn)
