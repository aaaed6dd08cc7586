"""GET /api/v1/summary/: the date's map in words, from the built layers and the events' counts,
near the gazetteer place the land that changed hands is closest to; and said on the map page."""

import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from conflictmap.atlas.models import Place
from conflictmap.events.models import Event
from tests.chromium import open_map
from tests.conftest import START, rect

URL = "/api/v1/summary/"


def test_it_says_who_held_how_much_what_changed_hands_near_where_and_the_events(client, world):
    Place.objects.create(name="Greenford", point=Point(10.6, 10.6, srid=4326), population=50_000)
    Place.objects.create(name="Farfield", point=Point(13.8, 12.8, srid=4326), population=900_000)  # far away
    world.change(START + dt.timedelta(days=10), world.green, rect(10, 10, 11, 11))
    world.build()
    for day in (2, 9, 10):
        Event.objects.create(theatre=world.theatre, date=START + dt.timedelta(days=day), title=f"e{day}",
                             type="clash", status="published")  # fmt: skip
    first = client.get(URL, {"theatre": "toyland", "date": "2020-01-05"}).json()["text"]
    assert first.startswith("On 5 January 2020, these held: Red ") and "Blue " in first
    assert "It is the first map of the record." in first and "1 event was reported" in first
    text = client.get(URL, {"theatre": "toyland", "date": "2020-01-11"}).json()["text"]
    assert "Since 1 January 2020: Green took 12," in text and "km² from Red, near Greenford." in text
    assert "3 events were reported in the two weeks to 11 January 2020." in text


@pytest.mark.parametrize(
    ("params", "status"), [({"date": "2019-12-31"}, 404), ({"date": "soon"}, 400), ({"theatre": "atlantis"}, 404)]
)
def test_bad_questions_get_a_clear_answer(client, world, params, status):
    response = client.get(URL, {"theatre": "toyland", "date": "2020-01-05", **params})
    assert response.status_code == status and response.json()["error"]


def test_the_map_page_says_the_date_in_words(page, live_server, demo):
    open_map(page, live_server, "?date=2018-12-28")
    page.wait_for_function("() => document.getElementById('summary').textContent.includes('near Manbij')")
    assert page.get_attribute("#summary", "aria-live") == "polite"
