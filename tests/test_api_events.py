"""GET /api/v1/events/, /event-types/, /timeline/, /factions/, /theatres/ and the OpenAPI schema."""

import datetime as dt
import gzip
import json
import re

import pytest
from django.contrib.gis.geos import Point

from conflictmap.atlas.models import Source
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from tests.conftest import START, rect

URL = "/api/v1/events/"


@pytest.fixture
def events(world):
    def event(day, title, point=None, type=Event.Type.CLASH, status=Status.PUBLISHED, actors=()):
        item = Event.objects.create(
            theatre=world.theatre,
            date=START + dt.timedelta(days=day),
            title=title,
            type=type,
            location=Point(*point, srid=4326) if point else None,
            status=status,
        )
        item.sources.add(world.source)
        item.actors.set(actors)
        return item

    return {
        "west": event(1, "Clash in the west", (10.5, 11.0), actors=[world.red]),
        "east": event(5, "Strike in the east", (13.5, 12.0), type=Event.Type.AIR_STRIKE, actors=[world.blue]),
        "statement": event(9, "Statement in a capital", None, type=Event.Type.STATEMENT),
        "draft": event(3, "Unchecked rumour", (11.0, 11.0), status=Status.DRAFT),
    }


def titles(response):
    return [feature["properties"]["title"] for feature in response.json()["features"]]


def test_it_lists_published_events_in_date_order_with_sources(client, events):
    response = client.get(URL, {"theatre": "toyland"})
    assert response.status_code == 200
    assert titles(response) == ["Clash in the west", "Strike in the east", "Statement in a capital"]
    first = response.json()["features"][0]
    assert first["geometry"] == {"type": "Point", "coordinates": [10.5, 11.0]}
    assert first["properties"]["sources"] == [
        {"url": "", "title": "Toyland Gazette", "publisher": "Toy Press", "published_on": "2020-01-01"}
    ]
    assert first["properties"]["actors"] == ["red"]


def test_events_without_a_location_have_a_null_geometry(client, events):
    features = client.get(URL, {"theatre": "toyland", "type": "statement"}).json()["features"]
    assert [f["geometry"] for f in features] == [None]


def test_it_filters_by_half_open_date_range(client, events):
    response = client.get(URL, {"theatre": "toyland", "from": "2020-01-02", "to": "2020-01-06"})
    assert titles(response) == ["Clash in the west"]
    response = client.get(URL, {"theatre": "toyland", "from": "2020-01-06", "to": "2020-01-11"})
    assert titles(response) == ["Strike in the east", "Statement in a capital"]


def test_newest_first_when_asked(client, events):
    response = client.get(URL, {"theatre": "toyland", "order": "newest"})
    assert titles(response) == ["Statement in a capital", "Strike in the east", "Clash in the west"]


def decoded(body):
    """(date, lng, lat, type) of every event in a /points/ answer, as its docstring says to read it."""
    events, i = [], 0
    for offset, count in enumerate(body["per_day"]):
        date = dt.date(1970, 1, 1) + dt.timedelta(days=body["first_day"] + offset)
        lng = 0
        for n in range(count):
            lng = body["lng"][i] if n == 0 else lng + body["lng"][i]
            events.append((date, lng / body["scale"], body["lat"][i] / body["scale"], body["types"][body["type"][i]]))
            i += 1
    assert i == len(body["lng"]) == len(body["lat"]) == len(body["type"])
    return events


def test_points_carry_what_a_map_draws_in_compact_arrays(client, events, world):
    Event.objects.create(theatre=world.theatre, date=events["east"].date, title="Same day, further west",
                         type=Event.Type.SHELLING, location=Point(11.25, 12.5, srid=4326),
                         status=Status.PUBLISHED)  # fmt: skip
    body = client.get(URL + "points/", {"theatre": "toyland"}).json()
    # Published and located only, day by day: the statement has no place, the draft is not public.
    assert decoded(body) == [
        (events["west"].date, 10.5, 11.0, "clash"),
        (events["east"].date, 11.25, 12.5, "shelling"),  # a day's events go west to east
        (events["east"].date, 13.5, 12.0, "air_strike"),
    ]
    assert body["per_day"] == [1, 0, 0, 0, 2]  # 2 and 6 January, and the days between
    assert body["lng"][2] == 22_500  # within a day, the step from the point before: 13.5 - 11.25


def test_no_points_is_an_empty_day_list(client, events):
    body = client.get(URL + "points/", {"theatre": "toyland", "from": "2021-01-01"}).json()
    assert body["first_day"] is None and body["per_day"] == body["lng"] == body["lat"] == body["type"] == []


def test_points_take_the_same_filters_as_the_list(client, events):
    body = client.get(URL + "points/", {"theatre": "toyland", "from": "2020-01-03", "bbox": "13,11,14,13"}).json()
    assert [event[3] for event in decoded(body)] == ["air_strike"]
    response = client.get(URL + "points/", {"theatre": "toyland", "from": "someday"})
    assert response.status_code == 400 and "from" in response.json()["error"]


def test_it_filters_by_bbox_type_and_actor(client, events):
    assert titles(client.get(URL, {"theatre": "toyland", "bbox": "13,11,14,13"})) == ["Strike in the east"]
    assert titles(client.get(URL, {"theatre": "toyland", "type": "air_strike,clash"})) == [
        "Clash in the west",
        "Strike in the east",
    ]
    assert titles(client.get(URL, {"theatre": "toyland", "actor": "red"})) == ["Clash in the west"]
    both = client.get(URL, {"theatre": "toyland", "actor": "red,blue"})
    assert titles(both) == ["Clash in the west", "Strike in the east"]


def test_it_filters_by_confidence_and_refuses_unknown_values(client, events):
    Event.objects.filter(title="Strike in the east").update(confidence="low")
    assert titles(client.get(URL, {"theatre": "toyland", "confidence": "low"})) == ["Strike in the east"]
    points = client.get(URL + "points/", {"theatre": "toyland", "confidence": "high,medium"}).json()
    assert sum(points["per_day"]) == 1  # the clash: the strike is low, the statement has no place, the rumour a draft
    for params, name in [({"confidence": "certain"}, "confidence"), ({"actor": "red;drop"}, "actor"),
                         ({"type": ","}, "type")]:  # fmt: skip
        response = client.get(URL, {"theatre": "toyland", **params})
        assert response.status_code == 400 and name in response.json()["error"], params


def test_pages_are_bounded(client, world, monkeypatch):
    for day in range(5):
        Event.objects.create(theatre=world.theatre, date=START, title=f"e{day}", type="clash", status="published")
    body = client.get(URL, {"theatre": "toyland", "page_size": 2}).json()
    assert len(body["features"]) == 2 and body["count"] == 5 and body["next"]
    from conflictmap.events.api import EventPagination

    monkeypatch.setattr(EventPagination, "max_page_size", 3)
    body = client.get(URL, {"theatre": "toyland", "page_size": 100000}).json()
    assert len(body["features"]) == 3  # capped at max_page_size, not refused


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "10,10,200,12"}, "Out of range"),
        ({"type": "picnic"}, "Unknown type picnic"),
        ({"from": "2020-02-01", "to": "2020-01-01"}, "after `from`"),
        ({"from": "01/02/2020"}, "from"),
    ],
)
def test_bad_event_filters_get_a_clear_400(client, events, params, message):
    response = client.get(URL, {"theatre": "toyland", **params})
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_the_timeline_lists_change_dates_and_events_per_day(client, world, events):
    world.change(dt.date(2020, 1, 20), world.green, world.theatre.boundary)
    world.build()
    body = client.get("/api/v1/timeline/", {"theatre": "toyland"}).json()
    assert body["start_date"] == "2020-01-01"
    assert body["change_dates"] == ["2020-01-01", "2020-01-20"]
    assert body["events_per_day"] == [
        {"date": "2020-01-02", "count": 1},
        {"date": "2020-01-06", "count": 1},
        {"date": "2020-01-10", "count": 1},
    ]
    assert body["unlocated_per_day"] == [{"date": "2020-01-10", "count": 1}]  # the statement in a capital
    assert body["end_date"] == "2020-01-20"


def test_a_timeline_of_a_window_holds_only_what_a_map_of_those_dates_needs(client, world, events):
    """An embed of one date or a range: the change in force on `from`, those within, the next one."""
    for day in (10, 20, 25):
        world.change(dt.date(2020, 1, day), world.green, rect(10, 10, 10 + day / 10, 11))
    world.build()
    timeline = lambda first, last: client.get(  # noqa: E731
        "/api/v1/timeline/", {"theatre": "toyland", "from": first, "to": last}).json()  # fmt: skip
    body = timeline("2020-01-12", "2020-01-12")
    assert body["change_dates"] == ["2020-01-10", "2020-01-20"]
    assert body["events_per_day"] == []
    assert body["end_date"] == "2020-01-25", "the theatre's record, whatever the window"
    body = timeline("2020-01-05", "2020-01-20")
    assert body["change_dates"] == ["2020-01-01", "2020-01-10", "2020-01-20", "2020-01-25"]
    assert [day["date"] for day in body["events_per_day"]] == ["2020-01-06", "2020-01-10"]
    assert timeline("2020-01-30", "2020-02-28")["change_dates"] == ["2020-01-25"]
    refused = client.get("/api/v1/timeline/", {"theatre": "toyland", "from": "2020-01-05"})
    assert refused.status_code == 400 and "Give both" in refused.json()["error"]


def test_factions_and_theatres_are_listed(client, world):
    factions = client.get("/api/v1/factions/").json()
    assert {
        "slug": "red",
        "name": "Red",
        "name_ar": "",
        "short_name": "RED",
        "kind": "faction",
        "color": "#d62728",
        "parent": None,
    } in factions
    theatres = client.get("/api/v1/theatres/").json()
    [toyland] = theatres["features"]
    assert toyland["properties"]["slug"] == "toyland"
    assert toyland["bbox"] == [10.0, 10.0, 14.0, 13.0]


def test_the_openapi_schema_documents_every_endpoint(client, db):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ["control", "events", "events/points", "event-types", "timeline", "factions", "theatres"]:
        assert f"/api/v1/{path}/" in paths
    control_params = {p["name"] for p in paths["/api/v1/control/"]["get"]["parameters"]}
    assert control_params == {"theatre", "date", "detail", "build"}
    event_params = {p["name"] for p in paths["/api/v1/events/"]["get"]["parameters"]}
    assert {"theatre", "from", "to", "bbox", "type", "actor", "confidence"} <= event_params


def test_the_schema_documents_event_types_as_a_list_of_type_label_colour_and_shape(client, db):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    answer = schema["paths"]["/api/v1/event-types/"]["get"]["responses"]["200"]["content"]["application/json"]
    assert answer["schema"]["type"] == "array"
    item = schema["components"]["schemas"][answer["schema"]["items"]["$ref"].rsplit("/", 1)[-1]]
    assert set(item["properties"]) == {"type", "label", "color", "shape"}


def test_the_hand_encoder_matches_the_documented_serializer(client, events, world):
    from conflictmap.events.api import EventSerializer

    events["west"].place_name = "Westville"
    events["west"].fatalities = 3
    events["west"].save()
    events["west"].sources.add(Source.objects.create(title="Second", publisher="P", url="https://example.org/a"))
    served = client.get(URL, {"theatre": "toyland"}).json()["features"]
    documented = json.loads(json.dumps(EventSerializer(Event.objects.filter(status="published").order_by("date"),
                                                       many=True).data["features"], default=str))  # fmt: skip
    for feature in documented:
        feature["properties"]["sources"].sort(key=lambda source: source["title"])
    for feature in served:
        feature["properties"]["sources"].sort(key=lambda source: source["title"])
    assert served == documented


def test_many_events_come_back_as_clusters_when_asked(client, world, monkeypatch):
    from conflictmap.events import api

    monkeypatch.setattr(api, "CLUSTER_ABOVE", 10)
    Event.objects.bulk_create(
        Event(theatre=world.theatre, date=START, title=f"e{n}", type="clash", status="published",
              location=Point(10.1 + (n % 5) * 0.8, 10.1 + (n // 5) * 0.5, srid=4326))
        for n in range(30)
    )  # fmt: skip
    body = client.get(URL, {"theatre": "toyland", "cluster": "true"}).json()
    assert body["clustered"] is True and body["count"] == 30
    assert sum(f["properties"]["count"] for f in body["features"]) == 30
    assert 1 < len(body["features"]) <= 30
    assert all(f["properties"]["cluster"] for f in body["features"])
    paged = client.get(URL, {"theatre": "toyland"}).json()  # without cluster=true: events
    assert "clustered" not in paged and len(paged["features"]) == 30


def test_api_answers_are_gzipped_for_clients_that_accept_it_but_pages_are_not(client, events):
    response = client.get(URL, {"theatre": "toyland"}, headers={"Accept-Encoding": "gzip"})
    assert response["Content-Encoding"] == "gzip"
    assert json.loads(gzip.decompress(response.content))["features"]
    assert not client.get(URL, {"theatre": "toyland"}).has_header("Content-Encoding")
    page = client.get("/t/toyland/", headers={"Accept-Encoding": "gzip"})
    assert not page.has_header("Content-Encoding")  # pages carry CSRF tokens (BREACH)


def test_an_event_saved_in_code_without_a_type_is_still_listed(client, events):
    Event.objects.filter(pk=events["west"].pk).update(type="")  # the admin would refuse it; code may not
    response = client.get(URL, {"theatre": "toyland"})
    assert response.status_code == 200
    assert response.json()["features"][0]["properties"]["type_label"] == ""  # as get_type_display()
    points = client.get(URL + "points/", {"theatre": "toyland"}).json()
    assert points["types"][points["type"][0]] == "other"


HEX_COLOUR = re.compile(r"^#[0-9a-f]{6}$")


def test_every_event_type_has_a_colour_and_a_shape():
    assert set(Event.TYPE_COLORS) == set(Event.Type.values) == set(Event.TYPE_SHAPES)
    assert set(Event.TYPE_SHAPES.values()) <= {"circle", "square", "diamond", "triangle", "triangle-down", "cross"}
    assert all(HEX_COLOUR.match(colour) for colour in Event.TYPE_COLORS.values()), Event.TYPE_COLORS


def test_event_types_are_listed_in_order_with_their_label_and_colour(client, db):
    response = client.get("/api/v1/event-types/")
    assert response.status_code == 200
    types = response.json()
    assert [item["type"] for item in types] == Event.Type.values  # every type, as editors see them
    assert [item["label"] for item in types] == Event.Type.labels
    assert all(set(item) == {"type", "label", "color", "shape"} for item in types)
    assert all(HEX_COLOUR.match(item["color"]) for item in types), types
    assert {"type": "air_strike", "label": "Air strike", "color": "#b2182b", "shape": "triangle-down"} in types


def test_one_event_by_its_id_as_the_list_gives_it_and_drafts_are_not_found(client, events):
    listed = client.get(URL, {"theatre": "toyland"}).json()["features"][0]
    one = client.get(f"{URL}{events['west'].pk}/")
    assert one.status_code == 200 and one.json() == listed
    assert client.get(f"{URL}{events['draft'].pk}/").status_code == 404, "a draft is not published"
    assert client.get(f"{URL}999999/").json()["error"] == "No published event 999999."
    assert client.get(f"{URL}abc/").json()["error"] == "An event's id is a whole number."
