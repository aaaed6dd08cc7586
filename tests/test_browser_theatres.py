"""Two wars on one site, in Chromium: the landing page lists them, each opens its own map with
its own legend, basemap and filters, and the way back leads to the list."""

import datetime as dt

import pytest
from django.contrib.gis.geos import MultiPolygon, Polygon

from conflictmap.atlas import outlines
from conflictmap.atlas.models import Faction, Place, Theatre
from conflictmap.editorial.workflow import Status
from conflictmap.territory.build.rebuild import rebuild
from conflictmap.territory.models import ControlChange
from tests.chromium import log_in_to_the_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def second(demo):
    """A second war beside the Syria demo: a test-only Ukraine, from the bundled countries,
    held by one side from its start and by the other east of 37°E from a week later."""
    theatre = Theatre.objects.create(slug="ukraine", name="Ukraine (test)", start_date=dt.date(2022, 2, 24),
                                     boundary=outlines.country("UKR")[1])  # fmt: skip
    west = Faction.objects.create(slug="west-side", name="West side", short_name="West", color="#1f77b4")
    east = Faction.objects.create(slug="east-side", name="East side", short_name="East", color="#ff7f0e")
    theatre.factions.add(west, east)
    east_of_37 = MultiPolygon(Polygon.from_bbox((37, 44, 41, 53)), srid=4326)
    for date, side, area in [(theatre.start_date, west, theatre.boundary), (dt.date(2022, 3, 3), east, east_of_37)]:
        ControlChange.objects.create(theatre=theatre, date=date, controller=side, area=area, status=Status.PUBLISHED)
    rebuild(theatre.pk)
    return theatre


# Every card's image (GET /api/v1/card.png, drawn on the first request) has loaded.
CARDS_DRAWN = "() => [...document.querySelectorAll('li.theatre img')].every((image) => image.naturalWidth === 1200)"


def legend(page) -> set[str]:
    """The factions the legend lists (slugs)."""
    page.wait_for_selector("#legend tr[data-faction]", timeout=15_000)
    return set(page.eval_on_selector_all("#legend tr[data-faction]", "rows => rows.map(r => r.dataset.faction)"))


def test_the_landing_page_lists_both_wars_and_each_opens_its_own_map(page, live_server, second):
    page.goto(f"{live_server.url}/")
    cards = page.locator("li.theatre")
    assert cards.count() == 2
    assert page.locator("li.theatre h2").all_inner_texts() == ["Ukraine (test)", "Syria"]  # the latest first
    page.wait_for_function(CARDS_DRAWN, timeout=15_000)
    page.get_by_role("link", name="Syria").click()
    page.wait_for_url("**/t/syria/")
    syria = legend(page)
    assert "pro-government" in syria and not syria & {"west-side", "east-side"}
    page.locator("#all-theatres").click()
    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("link", name="Ukraine (test)").click()
    page.wait_for_url("**/t/ukraine/")
    assert legend(page) == {"west-side", "east-side"}


def test_a_war_outside_syrias_region_draws_its_own_neighbours_and_filters(page, live_server, second):
    page.goto(f"{live_server.url}/t/ukraine/")
    page.wait_for_function("() => document.getElementById('map').dataset.basemapDrawn === 'true'", timeout=15_000)
    assert page.evaluate("() => document.getElementById('map').dataset.basemap") == "/api/v1/theatres/ukraine/basemap/"
    page.wait_for_selector("#event-actor option[value='west-side']", state="attached", timeout=15_000)
    sides = page.eval_on_selector_all("#event-actor option", "options => options.map(o => o.value)")
    assert sides == ["", "east-side", "west-side"]  # all sides, then this war's, by name


def test_an_events_form_in_the_admin_follows_the_war_chosen(page, live_server, second, django_user_model):
    """Its map's basemap is the chosen war's, and its Place box finds that war's places."""
    Place.objects.create(name="Kharkiv", point="SRID=4326;POINT(36.23 49.99)", population=1_400_000)
    log_in_to_the_admin(page, live_server, django_user_model, then="/admin/events/event/add/")
    drawn = "(slug) => document.querySelector('#id_location-map').dataset.basemap === slug"
    for theatre, found, not_found in [(second, "Kharkiv", "Khan Shaykhun"), (Theatre.objects.get(slug="syria"),
                                                                             "Khan Shaykhun", "Kharkiv")]:  # fmt: skip
        page.select_option("#id_theatre", str(theatre.pk))
        page.wait_for_function(drawn, arg=theatre.slug, timeout=15_000)
        page.click(".field-place .select2-selection")
        page.fill(".select2-search__field", "")  # the box keeps the last search: a new one is asked
        page.fill(".select2-search__field", "Kha")
        options = page.locator(".select2-results__option")
        options.filter(has_text=found).wait_for()
        assert options.filter(has_text=not_found).count() == 0
        page.keyboard.press("Escape")
    assert page.locator(".leaflet-basemap-pane canvas").count() == 1, "the first war's basemap is taken away"
    assert page.errors == []
