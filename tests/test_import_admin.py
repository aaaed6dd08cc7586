"""Imports in the admin (conflictmap/imports/admin.py): upload, a worker's dry run with its
progress on the page, confirm, the import by a worker (imports/tasks.py); a real Celery worker."""

import importlib
import json

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from conflictmap.editorial import workflow
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.imports import tasks
from conflictmap.imports.models import Upload
from conflictmap.territory.models import ControlChange
from tests.conftest import TEST_QUEUE
from tests.test_import import SAMPLE, counts, feature, point
from tests.workers import start_worker, stop, wait_for

NETWORK_LINK_ONLY = b"""<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<NetworkLink><name>Front</name><Link><href>https://example.org/front.kml</href></Link></NetworkLink>
</Document></kml>"""


pytestmark = pytest.mark.django_db(transaction=True)  # the worker reads what the tests commit
GROUPS = importlib.import_module("conflictmap.atlas.migrations.0003_editorial_groups")


def editors() -> Group:
    """The Editors group, with the permissions its migration gives it: a transactional test's
    database is emptied after each test, and an earlier one may have emptied it of the group."""
    group, _ = Group.objects.get_or_create(name=workflow.EDITORS)
    group.permissions.add(*[Permission.objects.get(content_type__app_label=app, codename=code)
                            for app, code in GROUPS.codenames(GROUPS.EDITING)])  # fmt: skip
    return group


def editor_client(client, django_user_model):
    user = django_user_model.objects.create_user("ed", "ed@example.org", "pw", is_staff=True)
    user.groups.add(editors())
    client.force_login(user)
    return client


@pytest.fixture
def worker(transactional_db):
    process = start_worker(f"{TEST_QUEUE}-imports")
    try:
        yield process
    finally:
        print(stop(process))  # shown by pytest when the test fails


def settled(client, response):
    """The upload's page once the worker is done with it (it refreshes itself meanwhile)."""
    upload = Upload.objects.order_by("-pk").first()
    if upload is not None:
        wait_for(lambda: not Upload.objects.get(pk=upload.pk).busy, "the worker to finish the upload")
        response = client.get(f"/admin/imports/upload/{upload.pk}/confirm/", follow=True)
    return response


def upload(client, world, document, name="front.geojson"):
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    response = client.post("/admin/imports/upload/add/", {
        "file": SimpleUploadedFile(name, data), "theatre": world.theatre.pk, "format": "",
    }, follow=True)  # fmt: skip
    return settled(client, response)


def test_an_editor_uploads_reads_the_dry_run_and_confirms(client, world, django_user_model, worker):
    editor = editor_client(client, django_user_model)
    before = counts()
    page = upload(editor, world, SAMPLE).content.decode()
    assert "3 to create, 0 to update, 0 unchanged, 0 rejected." in page and "Import it, as drafts" in page
    assert counts() == before  # a dry run
    confirm = f"/admin/imports/upload/{Upload.objects.get().pk}/confirm/"
    assert editor.post(confirm).status_code == 302
    page = settled(editor, None).content.decode()
    assert "The import of front.geojson is done. Imported 3 new and 0 updated items, as drafts for review." in page
    assert Event.objects.filter(external_id__in=["ev-1", "ev-2"], status=Status.DRAFT).count() == 2
    assert ControlChange.objects.filter(external_id="cc-1", status=Status.DRAFT).exists()
    assert Upload.objects.get().state == Upload.State.IMPORTED and not Upload.objects.get().data
    listed = editor.get("/admin/imports/upload/").content.decode()  # in the editor's menu, each upload's page linked
    assert f'<a href="{confirm}">front.geojson</a>' in listed and "Imported" in listed
    assert 'href="/admin/imports/upload/"' in editor.get("/admin/").content.decode()


def test_while_a_worker_reads_the_page_shows_how_far_and_follows_it(client, world, django_user_model):
    """No worker here: the page says it waits for one, then how many rows it has read."""
    editor = editor_client(client, django_user_model)
    page = editor.post("/admin/imports/upload/add/", {
        "file": SimpleUploadedFile("acled.csv", b"event_id_cnty,event_date\nA1,2020-01-01\nA2,2020-01-02\n"),
        "theatre": world.theatre.pk, "format": "",
    }, follow=True).content.decode()  # fmt: skip
    upload = Upload.objects.get()
    assert upload.state == Upload.State.CHECKING and upload.expected_rows == 2
    assert "waiting for a worker" in page and '<meta http-equiv="refresh" content="2">' in page
    cache.set(tasks.progress_key(upload.pk), 1)
    page = editor.get(f"/admin/imports/upload/{upload.pk}/confirm/").content.decode()
    assert "1 rows read of about 2" in page and '<progress max="2" value="1"' in page


def test_rejected_rows_are_listed_and_block_the_import(client, world, django_user_model, worker):
    editor = editor_client(client, django_user_model)
    document = {**SAMPLE, "features": [*SAMPLE["features"], feature(point(10.5, 11), title="x", type="clash")]}
    page = upload(editor, world, document).content.decode()
    assert "Feature 4: it has no date" in page and "Import it, as drafts" not in page
    before = counts()
    editor.post(f"/admin/imports/upload/{Upload.objects.get().pk}/confirm/")
    assert Upload.objects.get().state == Upload.State.CHECKED and counts() == before


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("laughs.kml", b'<!DOCTYPE kml [<!ENTITY a "x">]><kml/>', "DTD or entities"),
    ("links.kml", NETWORK_LINK_ONLY, "It holds nothing to import (only 1 NetworkLink element"),
])  # fmt: skip
def test_a_file_refused_says_why_as_the_command_does(client, world, django_user_model, worker, name, data, reason):
    editor = editor_client(client, django_user_model)
    before = counts()
    page = upload(editor, world, data, name=name).content.decode()
    assert f"Nothing imported from {name}, refused" in page and reason in page
    assert counts() == before and Upload.objects.get().state == Upload.State.REFUSED


def test_only_people_who_may_add_changes_and_events_may_import(client, world, django_user_model):
    user = django_user_model.objects.create_user("reader", "r@example.org", "pw", is_staff=True)
    client.force_login(user)
    assert client.get("/admin/imports/upload/add/").status_code == 403
