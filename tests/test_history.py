"""Revisions (atlas/history.py): every save, move and delete is kept and any can be restored."""

import datetime as dt

import shapely
from django.contrib.auth.models import Group
from shapely.geometry import Point

from conflictmap.atlas import history, workflow
from conflictmap.atlas.models import Faction, Revision, Source, Status
from conflictmap.territory.areas import to_geos
from conflictmap.territory.models import ControlChange
from tests.conftest import rect


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
    assert shown["area"] == ("MULTIPOLYGON (((11 11, 11 10, 10 10, 10 11, 11 11)))", "a shape of 65 points")
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
            "color": faction.color, "loaded_version": version, "_reason": "Its own name for itself"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    latest = Revision.objects.filter(object_id=faction.pk, content_type__model="faction").latest("id")
    assert latest.comment == "Its own name for itself" and latest.user == user
    page = client.get(f"/admin/atlas/faction/{faction.pk}/history/").content.decode()
    assert "Its own name for itself" in page and "Red Army" in page
    original = Revision.objects.filter(object_id=faction.pk, content_type__model="faction").earliest("id")
    assert client.post(f"/admin/atlas/faction/{faction.pk}/history/", {"restore": original.pk}).status_code == 302
    assert Faction.objects.get(pk=faction.pk).name == original.data["name"]
