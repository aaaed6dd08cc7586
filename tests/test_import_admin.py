"""Imports in the admin (conflictmap/imports/admin.py): upload, dry run, confirm."""

import json

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from conflictmap.editorial import workflow
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.imports.models import Upload
from conflictmap.territory.models import ControlChange
from tests.test_import import SAMPLE, counts, feature, point


def editor_client(client, django_user_model):
    user = django_user_model.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=workflow.EDITORS))
    client.force_login(user)
    return client


def upload(client, world, document, name="front.geojson"):
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return client.post("/admin/imports/upload/add/", {
        "file": SimpleUploadedFile(name, data), "theatre": world.theatre.pk, "format": "",
    }, follow=True)  # fmt: skip


def test_an_editor_uploads_reads_the_dry_run_and_confirms(client, world, django_user_model):
    editor = editor_client(client, django_user_model)
    before = counts()
    page = upload(editor, world, SAMPLE).content.decode()
    assert "3 to create, 0 to update, 0 unchanged, 0 rejected." in page and "Import it, as drafts" in page
    assert counts() == before  # a dry run
    confirm = f"/admin/imports/upload/{Upload.objects.get().pk}/confirm/"
    assert editor.post(confirm).status_code == 302
    assert Event.objects.filter(external_id__in=["ev-1", "ev-2"], status=Status.DRAFT).count() == 2
    assert ControlChange.objects.filter(external_id="cc-1", status=Status.DRAFT).exists()
    assert not Upload.objects.exists()


def test_rejected_rows_are_listed_and_block_the_import(client, world, django_user_model):
    editor = editor_client(client, django_user_model)
    document = {**SAMPLE, "features": [*SAMPLE["features"], feature(point(10.5, 11), title="x", type="clash")]}
    page = upload(editor, world, document).content.decode()
    assert "Feature 4: it has no date" in page and "Import it, as drafts" not in page
    before = counts()
    editor.post(f"/admin/imports/upload/{Upload.objects.get().pk}/confirm/")
    assert counts() == before


def test_a_hostile_file_is_refused_with_its_reason(client, world, django_user_model):
    editor = editor_client(client, django_user_model)
    before = counts()
    page = upload(editor, world, b'<!DOCTYPE kml [<!ENTITY a "x">]><kml/>', name="laughs.kml").content.decode()
    assert "Nothing imported from laughs.kml, refused" in page and "DTD or entities" in page
    assert counts() == before and not Upload.objects.exists()


def test_only_people_who_may_add_changes_and_events_may_import(client, world, django_user_model):
    user = django_user_model.objects.create_user("reader", "r@example.org", "pw", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/imports/upload/add/").status_code == 403
