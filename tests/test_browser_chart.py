"""The area chart under the legend, in Chromium: each side's km² along the whole timeline, drawn
from the history the map already has (no request of its own), the date shown marked, and a
click that moves the slider to the date under it."""

import datetime as dt

import pytest

from tests.chromium import open_map, wait_for_pieces

# Whether some pixel of the chart is within a few levels of `colour` (#rrggbb).
HAS_COLOUR = """(colour) => {
    const canvas = document.getElementById('area-chart');
    const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
    const close = (i) => Math.abs(data[i] - r) < 8 && Math.abs(data[i + 1] - g) < 8 && Math.abs(data[i + 2] - b) < 8;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 200 && close(i)) return true;
    return false;
}"""


def test_the_chart_draws_each_sides_area_and_a_click_moves_the_slider(page, live_server, demo):
    requests = []
    open_map(page, live_server, "?date=2019-01-10")
    wait_for_pieces(page)
    page.on("request", lambda request: requests.append(request.url))
    chart = page.locator("#area-chart")
    chart.wait_for(state="visible")
    for colour in ("#d62728", "#f2c500"):  # pro-government, SDF
        assert page.evaluate(HAS_COLOUR, colour), colour
    assert "10 January 2019 marked" in chart.get_attribute("aria-label")
    box = chart.bounding_box()
    chart.click(position={"x": 8, "y": box["height"] / 2})  # the left edge: the start of the record
    page.wait_for_function("() => document.getElementById('map').dataset.shownDate < '2018-12-05'")
    assert "marked" in chart.get_attribute("aria-label")
    # No layer nor history asked (the overlays of the new date, its patterns and front lines, may be).
    assert not [url for url in requests if "/api/v1/history/" in url or "/api/v1/control/?" in url]


@pytest.fixture
def saa_land(demo):
    """The Syrian Arab Army (a member of the pro-government coalition) given land of its own."""
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from conflictmap.atlas.models import Faction
    from conflictmap.editorial.workflow import Status
    from conflictmap.territory.build.rebuild import rebuild
    from conflictmap.territory.models import ControlChange

    area = MultiPolygon(Polygon.from_bbox((36.1, 33.3, 36.5, 33.7)), srid=4326)  # around Damascus
    ControlChange.objects.create(theatre=demo, date=dt.date(2019, 1, 1), area=area, status=Status.PUBLISHED,
                                 controller=Faction.objects.get(slug="saa"))  # fmt: skip
    rebuild(demo.pk)
    return demo


@pytest.mark.parametrize("drawn_from", ["pieces", "control"])
def test_the_legend_groups_a_coalitions_members_under_it_with_their_total(page, live_server, saa_land, drawn_from):
    """From the pieces' history (the full map once scrubbing is ready) and from /control/ (the
    first view, and an embed of one date, which never loads the pieces)."""
    if drawn_from == "pieces":
        open_map(page, live_server, "?date=2019-01-05")
        wait_for_pieces(page)
    else:
        page.goto(f"{live_server.url}/embed/?theatre=syria&date=2019-01-05")
        page.wait_for_function("() => document.getElementById('map').dataset.source === 'layer'")
    group = page.locator("#legend tr.coalition[data-coalition=pro-government]")
    group.wait_for()
    assert "Pro-government forces" in group.inner_text()
    members = page.locator("#legend tr.member")
    assert {members.nth(i).get_attribute("data-faction") for i in range(members.count())} == {"pro-government", "saa"}

    def km2(row) -> int:
        return int(row.locator("td.num").first.inner_text().split()[0].replace(",", ""))

    sides = [page.locator(f"#legend tr[data-faction={slug}]") for slug in ("pro-government", "saa")]
    assert abs(km2(group) - sum(km2(side) for side in sides)) <= 1
