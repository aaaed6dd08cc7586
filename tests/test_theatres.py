"""Two wars side by side: pages, API answers, caches and builds of one never show or touch the
other; factions belong to the wars they take part in; the landing page lists the wars."""

import datetime as dt
import json

import pytest
import shapely
from django.core.files.uploadedfile import SimpleUploadedFile

from conflictmap.atlas.models import Faction, Place, Source, Theatre
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event, TypeWording
from conflictmap.territory.build.rebuild import rebuild
from conflictmap.territory.models import ControlChange, LayerBuild, LayerState
from tests.conftest import rect

FAR_START = dt.date(2021, 1, 1)


@pytest.fixture
def far(world):
    """Farland, east of Toyland (the world), with factions of its own: gold holds all of it
    from its start, teal takes a corner in March; red takes part in both wars. Both built."""
    theatre = Theatre.objects.create(
        slug="farland", name="Farland", start_date=FAR_START, boundary=rect(30, 10, 33, 12)
    )
    gold = Faction.objects.create(slug="gold", name="Gold", short_name="GLD", color="#ffd700")
    teal = Faction.objects.create(slug="teal", name="Teal", short_name="TEA", color="#008080")
    theatre.factions.add(gold, teal, world.red)
    source = Source.objects.create(title="Farland Herald", published_on=FAR_START)
    for date, controller, area in [
        (FAR_START, gold, rect(30, 10, 33, 12)),
        (dt.date(2021, 3, 1), teal, rect(32, 11, 33, 12)),
    ]:
        ControlChange.objects.create(theatre=theatre, date=date, controller=controller, area=area,
                                     status=Status.PUBLISHED).sources.add(source)  # fmt: skip
    for where, title, x in [(world.theatre, "Shelling in Toytown", 11), (theatre, "Shelling in Fartown", 31)]:
        Event.objects.create(theatre=where, date=where.start_date + dt.timedelta(days=3), title=title,
                             type="shelling", status=Status.PUBLISHED, location=f"SRID=4326;POINT({x} 11)")  # fmt: skip
        Place.objects.create(name=title.split()[-1], point=f"SRID=4326;POINT({x} 11)", population=1000)
    world.build(full=True)
    rebuild(theatre.pk, full=True)
    return theatre


def controllers(client, slug, date):
    layer = client.get("/api/v1/control/", {"theatre": slug, "date": date}).json()
    return {feature["properties"]["faction"] for feature in layer["features"]}


def test_the_landing_page_opens_the_only_war_and_lists_several(client, world, far):
    listing = client.get("/")
    page = listing.content.decode()
    assert listing.status_code == 200 and 'href="/t/toyland/"' in page and 'href="/t/farland/"' in page
    assert page.index("Farland") < page.index("Toyland")  # the most recently active first
    assert "/api/v1/card.png?theatre=farland" in page  # its latest map's image
    assert client.get("/?theatre=farland&date=2021-02-01")["Location"] == "/t/farland/?date=2021-02-01"


def test_a_single_war_opens_straight_into_its_page(client, world):
    assert client.get("/?lang=ar")["Location"] == "/t/toyland/?lang=ar"
    assert client.get("/?theatre=&date=2020-01-05")["Location"] == "/t/toyland/?date=2020-01-05"
    for unknown in ["elsewhere", "not a slug", "💥"]:
        assert client.get("/", {"theatre": unknown}).status_code == 404
    assert client.get("/t/elsewhere/").status_code == 404


def test_pages_embeds_and_api_answers_of_two_wars_never_mix(client, world, far):
    for slug, other in [("toyland", "farland"), ("farland", "toyland")]:
        page = client.get(f"/t/{slug}/").content.decode()
        assert f'data-theatre="{slug}"' in page and other not in page
        embed = client.get("/embed/", {"theatre": slug}).content.decode()
        assert f'data-theatre="{slug}"' in embed and f'href="/t/{slug}/"' in embed and other not in embed
        assert client.get(f"/api/v1/theatres/{slug}/").json()["properties"]["slug"] == slug
    assert controllers(client, "toyland", "2021-03-05") == {"red", "blue"}
    assert controllers(client, "farland", "2021-03-05") == {"gold", "teal"}
    assert [f["slug"] for f in client.get("/api/v1/factions/", {"theatre": "farland"}).json()] == [
        "gold",
        "red",
        "teal",
    ]
    assert {f["slug"] for f in client.get("/api/v1/factions/", {"theatre": "toyland"}).json()} == {
        "red",
        "blue",
        "green",
    }
    found = client.get("/api/v1/search/", {"theatre": "toyland", "q": "town"}).json()
    assert [p["name"] for p in found["places"]] == ["Toytown"] and [e["title"] for e in found["events"]] == [
        "Shelling in Toytown"
    ]
    events = client.get("/api/v1/events/", {"theatre": "farland", "from": "2020-01-01", "to": "2021-12-31"}).json()
    assert [e["properties"]["title"] for e in events["features"]] == ["Shelling in Fartown"]
    timeline = client.get("/api/v1/timeline/", {"theatre": "farland"}).json()
    assert timeline["change_dates"] == ["2021-01-01", "2021-03-01"] and "2020-" not in json.dumps(timeline)
    oembed = client.get("/oembed/", {"url": "http://testserver/t/farland/?date=2021-03-05"}).json()
    assert "/embed/?theatre=farland&amp;date=2021-03-05" in oembed["html"] and oembed["title"] == "Farland"


def test_an_edit_in_one_war_rebuilds_that_one_and_keeps_the_others_answers(client, world, far, settings):
    settings.RESPONSE_CACHE_SECONDS = 60
    toyland_builds = list(LayerBuild.objects.filter(theatre=world.theatre).values_list("pk", "is_current"))
    before = client.get("/api/v1/control/", {"theatre": "toyland", "date": "2020-01-05"})
    gold = Faction.objects.get(slug="gold")
    ControlChange.objects.create(theatre=far, date=dt.date(2021, 4, 1), controller=gold, area=rect(32, 11, 33, 12),
                                 status=Status.PUBLISHED)  # fmt: skip
    assert LayerState.objects.get(theatre=far).dirty_since == dt.date(2021, 4, 1)
    assert LayerState.objects.get(theatre=world.theatre).dirty_since is None
    rebuild(far.pk)
    rebuild(world.theatre.pk)  # nothing to do
    assert list(LayerBuild.objects.filter(theatre=world.theatre).values_list("pk", "is_current")) == toyland_builds
    after = client.get("/api/v1/control/", {"theatre": "toyland", "date": "2020-01-05"})
    assert after["ETag"] == before["ETag"] and after.content == before.content
    assert controllers(client, "farland", "2021-04-05") == {"gold"}


def test_a_faction_of_another_war_is_refused_by_the_admin_and_by_imports(admin_client, world, far):
    gold = Faction.objects.get(slug="gold")
    form = admin_client.get(f"/admin/territory/controlchange/add/?theatre={world.theatre.pk}").content.decode()
    assert f'<option value="{world.red.pk}"' in form and f'<option value="{gold.pk}"' not in form
    square = {"type": "Polygon", "coordinates": [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]]}
    response = admin_client.post("/admin/territory/controlchange/add/", {
        "theatre": world.theatre.pk, "date": "2020-02-01", "area": json.dumps(square), "controller": gold.pk,
        "confidence": "confirmed", "note": "", "external_id": "", "status": "draft"})  # fmt: skip
    assert "Gold takes no part in Toyland" in response.content.decode()
    assert not ControlChange.objects.filter(theatre=world.theatre, controller=gold).exists()


def new_theatre(admin_client, **fields):
    data = {"name": "Malta", "slug": "malta", "name_ar": "", "start_date": "2024-01-01", "country": "", "boundary": "",
            "baseline": "", "description": "", "description_ar": "", "attribution": "", **fields}  # fmt: skip
    return admin_client.post("/admin/atlas/theatre/add/", data)


def test_an_editor_opens_a_war_from_a_bundled_country_and_its_layers_build_at_once(admin_client, world):
    form = admin_client.get("/admin/atlas/theatre/add/").content.decode()
    assert '<option value="UKR">Ukraine</option>' in form and '<option value="SDN">Sudan</option>' in form
    response = new_theatre(admin_client, country="MLT", baseline=world.red.pk)
    assert response.status_code == 302, response.content.decode()[-3000:]
    malta = Theatre.objects.get(slug="malta")
    assert malta.name_ar == "مالطا" and malta.boundary.extent == pytest.approx((14.18, 35.8, 14.58, 36.08), abs=0.03)
    baseline = ControlChange.objects.get(theatre=malta)
    assert (baseline.controller, baseline.status, baseline.date) == (world.red, Status.REVIEW, malta.start_date)
    assert malta in world.red.theatres.all()
    state = LayerState.objects.get(theatre=malta)
    assert state.version > 0 and state.dirty_since == malta.start_date  # a rebuild is queued
    rebuild(malta.pk)
    assert LayerBuild.objects.filter(theatre=malta, is_current=True).exists()


def test_a_war_from_an_uploaded_boundary_and_its_refusals(admin_client, world):
    square = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": {
        "type": "Polygon", "coordinates": [[[40, 40], [41, 40], [41, 41], [40, 41], [40, 40]]]}}]}  # fmt: skip
    upload = SimpleUploadedFile("zone.geojson", json.dumps(square).encode(), "application/geo+json")
    assert new_theatre(admin_client, boundary_file=upload).status_code == 302
    assert Theatre.objects.get(slug="malta").boundary.extent == pytest.approx((40, 40, 41, 41))
    assert not ControlChange.objects.filter(theatre__slug="malta").exists()  # "no data" at first
    page = new_theatre(admin_client, slug="twice", country="MLT", boundary_file=SimpleUploadedFile("z.geojson", b"{}"))
    assert "Give the outline one way" in page.content.decode()
    bad = new_theatre(admin_client, slug="bad", boundary_file=SimpleUploadedFile("notes.geojson", b"not a map"))
    assert "Cannot read notes.geojson" in bad.content.decode()
    points = {"type": "Point", "coordinates": [40, 40]}
    dots = new_theatre(
        admin_client, slug="dots", boundary_file=SimpleUploadedFile("d.geojson", json.dumps(points).encode())
    )
    assert "holds no polygon" in dots.content.decode()
    assert set(Theatre.objects.values_list("slug", flat=True)) == {"toyland", "malta"}


def test_a_war_outside_syrias_region_gets_the_bundled_countries_around_it_as_basemap(client, world, far):
    page = client.get("/t/farland/").content.decode()
    assert 'data-basemap="/api/v1/theatres/farland/basemap/"' in page
    basemap = client.get("/api/v1/theatres/farland/basemap/")
    countries = {feature["properties"]["name"] for feature in basemap.json()["features"]}
    assert {"Sudan", "South Sudan", "Ethiopia"} <= countries and "Syria" not in countries
    assert basemap.json()["bbox"] == [28.0, 8.0, 35.0, 14.0] and "max-age=86400" in basemap["Cache-Control"]
    assert client.get("/api/v1/theatres/nowhere/basemap/").status_code == 404
    described = client.get("/api/v1/theatres/").json()["features"]  # what the admin's forms draw
    assert {theatre["properties"]["slug"]: theatre["properties"]["basemap"] for theatre in described} == {
        "farland": "/api/v1/theatres/farland/basemap/",
        "toyland": "/api/v1/theatres/toyland/basemap/",
    }


def test_a_war_words_event_types_its_own_way_everywhere_readers_see_them(client, world, far):
    TypeWording.objects.create(theatre=far, type="shelling", label="Artillery fire", label_ar="قصف مدفعي")

    def label(slug, **query):
        types = client.get("/api/v1/event-types/", {"theatre": slug, **query}).json()
        return next(item["label"] for item in types if item["type"] == "shelling")

    assert (label("farland"), label("toyland"), label("farland", lang="ar")) == (
        "Artillery fire",
        "Shelling",
        "قصف مدفعي",
    )
    for slug, word in [("farland", "Artillery fire"), ("toyland", "Shelling")]:
        listed = client.get("/api/v1/events/", {"theatre": slug}).json()["features"]
        assert [event["properties"]["type_label"] for event in listed] == [word]
        assert client.get(f"/api/v1/events/{listed[0]['id']}/").json()["properties"]["type_label"] == word
    csv = client.get("/api/v1/exports/events/", {"theatre": "farland", "from": "2021-01-01", "to": "2021-02-01",
                                                  "format": "csv"})  # fmt: skip
    assert "Artillery fire" in b"".join(csv.streaming_content if csv.streaming else [csv.content]).decode()


def test_places_are_found_within_their_war(admin_client, world, far):
    listed = admin_client.get("/admin/atlas/place/", {"theatre": "farland"}).content.decode()
    assert "Fartown" in listed and "Toytown" not in listed
    fartown = Place.objects.get(name="Fartown")
    response = admin_client.post("/admin/events/event/add/", {
        "theatre": world.theatre.pk, "date": "2020-02-01", "date_precision": "day", "title": "Misplaced",
        "type": "clash", "place": fartown.pk, "confidence": "medium", "sources": [world.source.pk]})  # fmt: skip
    assert "Fartown lies outside Toyland" in response.content.decode()
    assert not Event.objects.filter(title="Misplaced").exists()

    def place_box(**theatre):  # the event form's Place box, as admin-event-map.js asks
        asked = {"term": "town", "app_label": "events", "model_name": "event", "field_name": "place"}
        found = admin_client.get("/admin/autocomplete/", {**asked, **theatre})
        assert found.status_code == 200
        return {result["text"] for result in found.json()["results"]}

    assert place_box(theatre_id=far.pk) == {"Fartown"} and place_box(theatre_id=world.theatre.pk) == {"Toytown"}
    assert place_box() == place_box(theatre_id="x") == place_box(theatre_id="²") == {"Fartown", "Toytown"}
    assert place_box(theatre_id=10**30) == set()  # no such war, no places


def test_a_war_elsewhere_has_its_neighbours_on_its_social_image(world, far):
    from conflictmap.cards.images import neighbours

    drawn = shapely.union_all(neighbours(far.boundary.extent))
    assert drawn.contains(shapely.Point(30.5, 13.5)) and drawn.contains(shapely.Point(33.5, 9))  # Sudan, South Sudan
    assert not drawn.intersects(shapely.box(35.7, 32.3, 42.4, 37.3))  # none of Syria's region
    assert neighbours(world.theatre.boundary.extent) is not neighbours(far.boundary.extent)
