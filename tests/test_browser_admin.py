"""The admin's map forms in a real Chromium: drawing a control change, keeping the enclaves of a
multi-part area, and an event's point from the gazetteer (fixtures in tests/chromium.py)."""

import datetime as dt
import json
import time

import pytest

from tests.chromium import BELT, log_in_to_the_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_in_the_admin_an_editor_sees_the_partition_previews_a_change_and_saves_it(page, live_server, demo,
                                                                                  django_user_model):  # fmt: skip
    from conflictmap.atlas.models import Faction
    from conflictmap.editorial.workflow import Status
    from conflictmap.territory.models import ControlChange

    saa = Faction.objects.get(slug="saa")
    then = f"/admin/territory/controlchange/add/%3Ftheatre%3D{demo.pk}%26date%3D2019-01-05"
    log_in_to_the_admin(page, live_server, django_user_model, then)
    # The partition of that date, under the drawing: painted paths in the reference pane.
    page.wait_for_selector("#id_area-map[data-reference-date='2019-01-05']", timeout=15_000)
    assert page.locator(".leaflet-reference-pane path").count() > 3
    lat, lng = BELT
    page.evaluate("([lat, lng]) => document.getElementById('id_area-map').leafletMap.setView([lat, lng], 11)", BELT)
    page.wait_for_timeout(300)
    corners = [(lng - 0.05, lat - 0.05), (lng + 0.05, lat - 0.05), (lng + 0.05, lat + 0.05), (lng - 0.05, lat + 0.05)]
    draw_with_the_mouse(page, "#id_area-map", [*corners, corners[0]])
    page.select_option("#id_controller", str(saa.pk))
    page.click("text=Preview what this change moves")
    page.wait_for_selector("#change-preview table")
    rows = page.locator("#change-preview tr").all_inner_texts()
    assert rows[-1].startswith(saa.name) and "+" in rows[-1]  # the new controller gains what the others lose
    assert "km²" in page.locator("#change-preview").inner_text()
    # What the server said, in elements (dom.js): no stray text, such as a "null" for no repair.
    assert page.evaluate("[...document.getElementById('change-preview').childNodes].every((n) => n.nodeType === 1)")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/territory/controlchange/")
    change = ControlChange.objects.get(controller=saa, date=dt.date(2019, 1, 5))
    assert change.status == Status.DRAFT and change.area.extent == pytest.approx(
        (lng - 0.05, lat - 0.05, lng + 0.05, lat + 0.05),
        abs=0.002,  # a pixel at zoom 11 is about 0.0005°
    )
    assert page.errors == []


def draw_with_the_mouse(page, map_selector: str, lng_lats: list[tuple[float, float]]):
    """Click a polygon's vertices on a map (Leaflet.draw's polygon tool), the last on the first."""
    page.click(f"{map_selector} .leaflet-draw-draw-polygon")
    box = page.locator(map_selector).bounding_box()
    for lng, lat in lng_lats:
        point = page.evaluate(
            "([selector, lat, lng]) => document.querySelector(selector).leafletMap.latLngToContainerPoint([lat, lng])",
            [map_selector, lat, lng],
        )
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        page.wait_for_timeout(150)


def test_in_the_admin_drawing_another_part_keeps_the_enclave_of_the_first(page, live_server, demo, django_user_model):
    from shapely.geometry import MultiPolygon, Polygon

    from conflictmap.atlas.models import Faction
    from conflictmap.editorial.workflow import Status
    from conflictmap.territory.areas import to_geos
    from conflictmap.territory.models import ControlChange

    lat, lng = BELT
    outer = [(lng - 0.2, lat - 0.2), (lng + 0.2, lat - 0.2), (lng + 0.2, lat + 0.2), (lng - 0.2, lat + 0.2)]
    hole = [(lng - 0.05, lat - 0.05), (lng + 0.05, lat - 0.05), (lng + 0.05, lat + 0.05), (lng - 0.05, lat + 0.05)]
    change = ControlChange.objects.create(theatre=demo, date=dt.date(2019, 1, 5), status=Status.DRAFT,
                                          controller=Faction.objects.get(slug="sdf"),
                                          area=to_geos(MultiPolygon([Polygon(outer, [hole])])))  # fmt: skip
    log_in_to_the_admin(page, live_server, django_user_model, f"/admin/territory/controlchange/{change.pk}/change/")
    page.wait_for_selector("#id_area-map[data-reference-date='2019-01-05']", timeout=15_000)
    page.evaluate("([lat, lng]) => document.getElementById('id_area-map').leafletMap.setView([lat, lng], 8)", BELT)
    page.wait_for_timeout(300)
    triangle = [(lng + 0.3, lat), (lng + 0.4, lat), (lng + 0.35, lat - 0.1)]  # a second part, east of the first
    draw_with_the_mouse(page, "#id_area-map", [*triangle, triangle[0]])
    drawn = json.loads(page.input_value("#id_area"))
    assert drawn["type"] == "MultiPolygon" and len(drawn["coordinates"]) == 2
    assert sorted(len(part) for part in drawn["coordinates"]) == [1, 2]  # the first part kept its hole
    page.click("input[name=_continue]")
    page.wait_for_load_state()
    stored = ControlChange.objects.get(pk=change.pk).area
    assert stored.num_geom == 2 and sorted(part.num_interior_rings for part in stored) == [0, 1]
    assert page.errors == []


def test_in_the_admin_picking_a_gazetteer_place_puts_the_events_point_there(page, live_server, demo,
                                                                          django_user_model):  # fmt: skip
    from conflictmap.atlas.models import Place, Source
    from conflictmap.events.models import Event

    manbij = Place.objects.get(name="Manbij")
    log_in_to_the_admin(page, live_server, django_user_model, "/admin/events/event/add/")
    page.wait_for_selector("#id_location-map .leaflet-control-zoom")
    page.click(".field-place .select2-selection")
    page.fill(".select2-search__field", "Manbij")
    page.click(".select2-results__option >> text=Manbij")
    page.wait_for_selector("#id_location-map .leaflet-marker-icon")  # on the map at once, before any save
    assert json.loads(page.input_value("#id_location"))["coordinates"] == pytest.approx(list(manbij.point.coords))
    assert "set to Manbij" in page.inner_text("#place-point-note")
    page.fill("#id_title", "Shelling near Manbij")
    page.fill("#id_date", "2019-01-06")
    page.select_option("#id_theatre", str(demo.pk))
    page.select_option("#id_type", "shelling")
    page.select_option("#id_sources_from", str(Source.objects.first().pk))
    page.click("#id_sources_add")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/events/event/")
    event = Event.objects.get(title="Shelling near Manbij")
    assert event.place == manbij and event.location.coords == pytest.approx(manbij.point.coords)
    assert page.errors == []


@pytest.mark.urls("tests.urls_elsewhere")
def test_the_admins_map_scripts_call_the_urls_the_page_names(page, live_server, demo, django_user_model):
    from conflictmap.atlas.models import Faction, Place

    # The admin at /editors/ and the API at /data/v1/: nothing answers at /admin/ or /api/v1/.
    django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    page.goto(f"{live_server.url}/editors/login/?next=/editors/territory/controlchange/add/%3Ftheatre%3D{demo.pk}"
              "%26date%3D2019-01-05")  # fmt: skip
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    # The partition under the map, from /data/v1/theatres/ and /data/v1/control/.
    page.wait_for_selector("#id_area-map[data-reference-date='2019-01-05']", timeout=15_000)
    lat, lng = BELT
    corners = [(lng - 0.05, lat - 0.05), (lng + 0.05, lat - 0.05), (lng + 0.05, lat + 0.05), (lng - 0.05, lat + 0.05)]
    area = json.dumps({"type": "Polygon", "coordinates": [[*corners, corners[0]]]})
    page.evaluate("(area) => { document.getElementById('id_area').value = area; }", area)  # as drawn
    page.select_option("#id_controller", str(Faction.objects.get(slug="saa").pk))
    page.click("text=Preview what this change moves")  # POSTed to /editors/…/preview/
    page.wait_for_selector("#change-preview table")

    page.goto(f"{live_server.url}/editors/events/event/add/")
    page.wait_for_selector("#id_location-map .leaflet-control-zoom")
    page.click(".field-place .select2-selection")
    page.fill(".select2-search__field", "Manbij")
    page.click(".select2-results__option >> text=Manbij")  # its point from /editors/events/event/place/…/
    page.wait_for_selector("#id_location-map .leaflet-marker-icon")
    manbij = Place.objects.get(name="Manbij")
    assert json.loads(page.input_value("#id_location"))["coordinates"] == pytest.approx(list(manbij.point.coords))
    assert page.errors == []


def test_the_admins_map_scripts_are_in_place_before_their_maps_are_made(page, live_server, demo, django_user_model,
                                                                        monkeypatch):  # fmt: skip
    from leaflet import app_settings

    # A site whose maps are made as the page is parsed (no load event to wait for), and a slow
    # network: the form's map scripts are modules, run only once the page is parsed and their
    # imports have arrived, and must still hear their map being made (the widgets wait for load).
    monkeypatch.setitem(app_settings, "LOADEVENT", "")

    def slowly(route):
        time.sleep(1)
        route.continue_()

    page.route("**/frontend/js/dom.js", slowly)
    then = f"/admin/territory/controlchange/add/%3Ftheatre%3D{demo.pk}%26date%3D2019-01-05"
    log_in_to_the_admin(page, live_server, django_user_model, then)
    page.wait_for_selector("#id_area-map[data-reference-date='2019-01-05']", timeout=15_000)
    assert page.locator("#change-preview").count() == 1
    assert page.evaluate("typeof L.MultiPolygonStore") == "function"  # the area's field store
    page.goto(f"{live_server.url}/admin/events/event/add/")
    page.wait_for_selector("#id_location-map .leaflet-control-zoom")
    page.wait_for_selector("#place-point-note", state="attached")  # it heard the location field load
    assert page.errors == []


def test_in_the_admin_the_event_forms_map_has_the_offline_basemap(page, live_server, demo, django_user_model):
    log_in_to_the_admin(page, live_server, django_user_model, then="/admin/events/event/add/")
    page.wait_for_function("() => document.querySelector('.leaflet-container')?.dataset.basemap === 'syria'",
                           timeout=15_000)  # fmt: skip
    painted = page.evaluate("""() => {
        const canvas = document.querySelector('.leaflet-basemap-pane canvas');
        const context = canvas.getContext('2d');
        let opaque = 0;
        for (let x = 0; x < canvas.width; x += 20) for (let y = 0; y < canvas.height; y += 20)
            if (context.getImageData(x, y, 1, 1).data[3] === 255) opaque += 1;
        return opaque;
    }""")
    assert painted > 0  # drawn (at the form's zoomed-out view, a few dots), with every tile request refused
