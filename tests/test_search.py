"""GET /api/v1/search/: gazetteer places inside the theatre by English or Arabic name, published
events by words of their title, and clear refusals."""

import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from conflictmap.atlas.models import Place
from conflictmap.events.models import Event
from tests.conftest import START

URL = "/api/v1/search/"


@pytest.fixture
def found(world):
    Place.objects.create(name="Toyville", name_ar="مدينة الألعاب", point=Point(11, 11, srid=4326), population=900)
    Place.objects.create(name="Toy Hamlet", point=Point(12, 12, srid=4326), population=10)
    Place.objects.create(name="Toytown Abroad", point=Point(30, 30, srid=4326))  # outside Toyland
    for day, title, status in [(1, "Shelling of Toyville", "published"), (4, "Toyville market reopens", "published"),
                               (6, "Toyville rumour", "draft")]:  # fmt: skip
        Event.objects.create(theatre=world.theatre, date=START + dt.timedelta(days=day), title=title, type="other",
                             status=status, location=Point(11, 11, srid=4326))  # fmt: skip
    return world


def test_places_in_the_theatre_largest_first_and_published_events_newest_first(client, found):
    body = client.get(URL, {"theatre": "toyland", "q": "toy"}).json()
    assert [place["name"] for place in body["places"]] == ["Toyville", "Toy Hamlet"]
    assert body["places"][0]["lat"] == 11 and body["places"][0]["name_ar"] == "مدينة الألعاب"
    titles = [event["title"] for event in client.get(URL, {"theatre": "toyland", "q": "TOYVILLE"}).json()["events"]]
    assert titles == ["Toyville market reopens", "Shelling of Toyville"]
    arabic = client.get(URL, {"theatre": "toyland", "q": "الألعاب"}).json()
    assert [place["name"] for place in arabic["places"]] == ["Toyville"]


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [({"q": "t"}, 400, "q"), ({"q": "x" * 101}, 400, "q"), ({}, 400, "q"),
     ({"q": "toy", "theatre": "atlantis"}, 404, "Unknown theatre")],
)  # fmt: skip
def test_bad_questions_get_a_clear_answer(client, found, params, status, message):
    response = client.get(URL, {"theatre": "toyland", **params})
    assert response.status_code == status and message in response.json()["error"]
