"""Revisions (editorial/history.py): every save, move and delete is kept and any can be restored."""

import datetime as dt
import re

import pytest
import shapely
from django.contrib.auth.models import Group
from pyproj import Geod
from shapely.geometry import Point

from conflictmap.atlas.models import Faction, Source
from conflictmap.editorial import history, workflow
from conflictmap.editorial.models import Revision
from conflictmap.editorial.workflow import Status
from conflictmap.territory.areas import to_geos
from conflictmap.territory.models import ControlChange
from tests.conftest import rect


def km2_in(text: str) -> list[float]:
    return [float(number.replace(",", "")) for number in re.findall(r"([\d,]+) km²", text)]


def geodesic_km2(area) -> float:
    """Measured along geodesics (pyproj.Geod), not as the app does (an equal-area projection)."""
    return abs(Geod(ellps="WGS84").geometry_area_perimeter(shapely.from_wkt(area.wkt))[0]) / 1e6


def test_every_save_move_and_delete_is_a_revision_with_who_and_why(world, django_user_model):
    editor = django_user_model.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name=workflow.EDITORS))
    editor = django_user_model.objects.get(pk=editor.pk)
    with history.recording(editor, "From the SOHR report"):
        change = world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11), status=Status.DRAFT)
    change.note = "Belt around the town"
    with history.recording(editor, "Named the place"):
        change.save()
    workflow.move(editor, change, "submit")
    found = list(history.revisions_of(ControlChange, change.pk).order_by("created_at", "id"))
    assert [(r.action, r.user, r.comment) for r in found] == [
        ("created", editor, "From the SOHR report"),
        ("changed", editor, "Named the place"),
        ("changed", editor, "Submit for review"),
    ]
    assert found[0].data["sources"] == [world.source.pk]  # recorded when the request ended, sources saved
    assert ("note", "empty", "Belt around the town") in history.differences(found[0].data, found[1].data)
    assert ("status", "draft", "review") in history.differences(found[1].data, found[2].data)
    pk = change.pk
    change.delete()
    assert history.revisions_of(ControlChange, pk).filter(action="deleted").count() == 1


def test_a_geometry_edit_is_shown_by_size_and_restored_exactly(world, django_user_model):
    change = world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    first = history.revisions_of(ControlChange, change.pk).get()
    change.area = to_geos(shapely.MultiPolygon([Point(11, 11).buffer(0.8)]))  # redrawn round, 65 points
    change.save()
    second = history.revisions_of(ControlChange, change.pk).latest("id")
    shown = {name: (before, after) for name, before, after in history.differences(first.data, second.data)}
    square, circle = rect(10, 10, 11, 11), change.area
    (before, after) = shown["area"]
    assert km2_in(before) == [pytest.approx(geodesic_km2(square), rel=1e-3)]
    # The new size, then what the redraw added (the circle outside the square) and removed.
    added, removed = circle.difference(square), square.difference(circle)
    assert km2_in(after) == [pytest.approx(geodesic_km2(x), rel=1e-3) for x in (circle, added, removed)]
    assert "added" in after and "removed" in after
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    restored = history.restore(first, user)
    assert restored.area.equals(ControlChange.objects.get(pk=change.pk).area)
    assert ControlChange.objects.get(pk=change.pk).area.equals(rect(10, 10, 11, 11))
    latest = history.revisions_of(ControlChange, change.pk).latest("id")
    assert latest.user == user and latest.comment.startswith("Restored the revision of")


def test_a_deleted_source_comes_back_under_its_id(world, django_user_model):
    source = Source.objects.create(title="Reuters: Syrian army enters Manbij area", publisher="Reuters")
    pk = source.pk
    source.delete()
    deleted = history.revisions_of(Source, pk).get(action="deleted")
    history.restore(deleted, django_user_model.objects.create_superuser("chief", "c@example.org", "pw"))
    assert Source.objects.get(pk=pk).title == "Reuters: Syrian army enters Manbij area"


def test_the_admin_records_the_reason_and_restores_from_the_history_page(client, world, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    client.force_login(user)
    faction = Faction.objects.get(pk=world.red.pk)
    url = f"/admin/atlas/faction/{faction.pk}/change/"
    page = client.get(url).content.decode()
    assert 'name="_reason"' in page
    version = faction.version
    data = {"slug": faction.slug, "name": "Red Army", "short_name": faction.short_name, "kind": faction.kind,
            "color": faction.color, "theatres": [world.theatre.pk], "loaded_version": version,
            "_reason": "Its own name for itself"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    latest = Revision.objects.filter(object_id=faction.pk, content_type__model="faction").latest("id")
    assert latest.comment == "Its own name for itself" and latest.user == user
    page = client.get(f"/admin/atlas/faction/{faction.pk}/history/").content.decode()
    assert "Its own name for itself" in page and "Red Army" in page
    original = Revision.objects.filter(object_id=faction.pk, content_type__model="faction").earliest("id")
    assert client.post(f"/admin/atlas/faction/{faction.pk}/history/", {"restore": original.pk}).status_code == 302
    assert Faction.objects.get(pk=faction.pk).name == original.data["name"]


def test_the_history_page_sketches_an_area_redrawn_and_says_how_far_a_point_moved(world, client, django_user_model):
    from django.contrib.gis.geos import Point as GeosPoint

    from conflictmap.events.models import Event

    client.force_login(django_user_model.objects.create_superuser("chief", "chief@example.org", "pw"))
    change = world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11))
    change.area = rect(10.5, 10, 11.5, 11)  # half kept, half given up, half new
    change.save()
    page = client.get(f"/admin/territory/controlchange/{change.pk}/history/").content.decode()
    sketch = re.search(r'<svg class="shape-sketch".*?</svg>', page, re.S).group(0)
    assert 'fill="#d62728"' in sketch and 'fill="#2ca02c"' in sketch and 'fill="#bbb"' in sketch
    event = Event.objects.create(theatre=world.theatre, date=dt.date(2020, 2, 3), title="Shelling", type="shelling",
                                 location=GeosPoint(11, 11, srid=4326))  # fmt: skip
    event.location = GeosPoint(11, 11.1, srid=4326)  # 0.1° of latitude north: 11.06 km on the ellipsoid
    event.save()
    page = client.get(f"/admin/events/event/{event.pk}/history/").content.decode()
    assert "11.1000° N, 11.0000° E (moved 11.1 km)" in page
