"""Backups (backups/record.py): a theatre's whole record goes out to one file and back into an
empty database, revisions and all, and the layers rebuilt from it are the same bytes."""

import datetime as dt
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from conflictmap.atlas.models import Faction, Place, Source, Theatre
from conflictmap.editorial import history
from conflictmap.editorial.models import Revision
from conflictmap.events.models import Event
from conflictmap.territory.models import ControlChange, Holding, LayerBuild, LayerHead
from tests.conftest import START, current_payloads, rect


@pytest.fixture
def record(world, django_user_model, tmp_path):
    """The toy theatre with a coalition, a place, an event, edits by a person, built, exported."""
    chief = django_user_model.objects.create_user("chief", password="pw")
    coalition = Faction.objects.create(
        slug="allies", name="Allies", short_name="ALL", color="#123456", kind="coalition"
    )
    coalition.theatres.add(world.theatre)
    world.green.parent = coalition
    world.green.save()
    change = world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11), note="Green advance")
    with history.recording(chief, "A better map of the advance"):
        change.area = rect(10, 10, 11.5, 11)
        change.save()
    place = Place.objects.create(name="Toytown", point="SRID=4326;POINT(11 11)")
    event = Event.objects.create(theatre=world.theatre, date=START, title="Shelling", type="shelling",
                                 status="published", place=place)  # fmt: skip
    event.sources.add(world.source)
    event.actors.add(world.red)
    world.build(full=True)
    path = tmp_path / "toyland.json"
    call_command("export_theatre", "toyland", str(path), stderr=io.StringIO())
    return path


def empty_the_database():
    for model in (LayerBuild, LayerHead, Holding, ControlChange, Event, Revision, Theatre, Source, Place):
        model.objects.all().delete()
    Faction.objects.filter(parent__isnull=False).delete()
    Faction.objects.all().delete()
    get_user_model().objects.all().delete()


def test_a_theatre_goes_out_and_comes_back_with_the_same_layers(world, record):
    payloads = current_payloads(world.theatre)
    revisions = list(Revision.objects.order_by("pk").values("object_id", "action", "comment", "data", "user__username"))
    empty_the_database()
    call_command("import_theatre", str(record), stdout=io.StringIO())
    theatre = Theatre.objects.get(slug="toyland")
    assert current_payloads(theatre) == payloads  # byte-identical, date by date
    assert (
        list(Revision.objects.order_by("pk").values("object_id", "action", "comment", "data", "user__username"))
        == revisions
    )
    chief = get_user_model().objects.get(username="chief")
    assert not chief.is_active and not chief.has_usable_password()  # who, but no way in
    assert Faction.objects.get(slug="green").parent.slug == "allies"
    assert Event.objects.get().place.name == "Toytown"


def test_importing_into_a_database_that_holds_the_record_changes_nothing(world, record):
    changes = ControlChange.objects.count()
    with pytest.raises(CommandError, match="already holds rows of this record"):
        call_command("import_theatre", str(record), stdout=io.StringIO())
    assert ControlChange.objects.count() == changes


def test_a_file_that_is_not_a_record_is_refused_with_a_reason(tmp_path, db):
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    with pytest.raises(CommandError, match="Not a conflictmap-theatre file"):
        call_command("import_theatre", str(path), stdout=io.StringIO())
    path.write_text("{not json")
    with pytest.raises(CommandError, match="Could not read"):
        call_command("import_theatre", str(path), stdout=io.StringIO())
