"""The public corrections log, /changes/ and its Atom feed (web/corrections.py)."""

import datetime as dt
import xml.etree.ElementTree as ET

from conflictmap.editorial import history, workflow
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from tests.conftest import rect


def test_edits_to_published_items_are_listed_with_the_note_and_first_publications_are_not(client, world):
    change = world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))  # published at once
    draft = world.change(dt.date(2020, 3, 1), world.blue, rect(12, 12, 13, 13), status=Status.DRAFT)
    draft.note = "Still a draft"
    draft.save()
    assert "Control change" not in client.get("/changes/").content.decode()  # nothing published was edited
    change.area = rect(10, 10, 11.5, 11)
    with history.recording(None, "The belt reached the river, not the road (SANA, 12 Feb)"):
        change.save()
    page = client.get("/changes/").content.decode()
    assert "Corrected:" in page and "Control change of 2020-02-01: the area taken by Green" in page
    assert "Changed: area" in page and "The belt reached the river, not the road" in page
    assert "Still a draft" not in page


def test_a_retraction_is_listed_and_reaches_the_feed(client, world, django_user_model):
    chief = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    event = Event.objects.create(theatre=world.theatre, date=dt.date(2020, 2, 3), title="Air strike on the bridge",
                                 type="air_strike", status=Status.PUBLISHED)  # fmt: skip
    event.sources.add(world.source)
    workflow.move(chief, event, "retract", "The video was from 2016.")
    page = client.get("/changes/", {"theatre": world.theatre.slug}).content.decode()
    assert "Retracted:" in page and "Event of 2020-02-03: Air strike on the bridge" in page
    assert "The video was from 2016." in page
    response = client.get("/changes/feed/")
    assert response["Content-Type"].startswith("application/atom+xml")
    entries = ET.fromstring(response.content).findall("{http://www.w3.org/2005/Atom}entry")
    titles = [entry.findtext("{http://www.w3.org/2005/Atom}title") for entry in entries]
    assert "Retracted: Event of 2020-02-03: Air strike on the bridge" in titles
    assert "Air strike on the bridge" in client.get("/t/toyland/changes/").content.decode()
    assert "Air strike on the bridge" in client.get("/t/toyland/changes/feed/").content.decode()
    assert client.get("/changes/", {"theatre": "elsewhere"}).status_code == 404  # no such theatre


def test_edits_to_a_faction_and_to_a_cited_source_are_listed_and_an_uncited_source_is_not(client, world):
    from conflictmap.atlas.models import Source

    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))  # published, citing world.source
    uncited = Source.objects.create(title="An embargoed report", publisher="Wire")
    with history.recording(None, "The faction's colour clashed with its rival's"):
        world.green.color = "#117711"
        world.green.save()
    with history.recording(None, "The report's title as published"):
        world.source.title = "Toyland Gazette, evening edition"
        world.source.save()
    with history.recording(None, "Typo"):
        uncited.title = "An embargoed report, revised"
        uncited.save()
    page = client.get("/changes/", {"theatre": world.theatre.slug}).content.decode()
    assert "Faction: Green" in page and "Changed: color" in page and "clashed with its rival" in page
    assert "Source: Toyland Gazette, evening edition" in page and "Changed: title" in page
    assert "embargoed" not in page  # no published item cites it: readers never saw it


def test_an_area_sent_back_with_its_rings_in_another_order_is_no_change(client, world):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    from conflictmap.territory.models import LayerState

    change = world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    version = LayerState.objects.get(theatre=world.theatre).version
    # The same square, starting from another corner and running the other way, as a form may send it.
    change.area = MultiPolygon(Polygon(((11, 11), (11, 10), (10, 10), (10, 11), (11, 11))), srid=4326)
    change.note = "Second source added."
    with history.recording(None, "A second source"):
        change.save()
    page = client.get("/changes/").content.decode()
    assert "Changed: note" in page and "Changed: area" not in page and "area," not in page
    assert LayerState.objects.get(theatre=world.theatre).version == version  # no rebuild either


def test_the_public_note_reaches_readers_and_the_internal_comment_never_does(client, world, admin_client):
    from conflictmap.atlas.models import Source

    world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))  # published, citing the source
    source = Source.objects.get(pk=world.source.pk)
    response = admin_client.post(f"/admin/atlas/source/{source.pk}/change/", {
        "url": "", "title": "Toyland Gazette", "publisher": "Toy Press Agency", "published_on": "2020-01-01",
        "loaded_version": source.version, "_reason": "The agency's full name.",
        "_internal": "Checked by phone with their desk; do not quote.",
    })  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:500]
    for page in (client.get("/changes/"), client.get("/changes/feed/")):
        text = page.content.decode()
        assert "full name." in text
        assert "do not quote" not in text
    history = admin_client.get(f"/admin/atlas/source/{source.pk}/history/").content.decode()
    assert "do not quote" in history and "Internal comment" in history
