"""The editorial workflow (editorial/workflow.py) and optimistic locking (editorial/locking.py), through
the models and through the admin, with the groups the migration makes."""

import datetime as dt
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from conflictmap.atlas.models import Source
from conflictmap.editorial import workflow
from conflictmap.editorial.locking import ConflictError
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.territory.models import ControlChange, LayerState
from tests.conftest import rect
from tests.editors import form_data


def draft(world, **fields) -> ControlChange:
    return world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11), status=Status.DRAFT, **fields)


def test_the_groups_hold_the_roles_permissions(people):
    editor, publisher = people["editor"], people["publisher"]
    assert editor.has_perm("territory.change_controlchange") and editor.has_perm("events.add_event")
    assert not editor.has_perm("territory.publish_controlchange") and not editor.has_perm("events.publish_event")
    assert not editor.has_perm("territory.delete_controlchange")  # retract, never delete, the public record
    assert publisher.has_perm("territory.publish_controlchange") and publisher.has_perm("events.publish_event")


def test_a_change_goes_from_draft_through_review_to_published_by_a_second_person(world, people):
    change = draft(world)
    version = LayerState.objects.get(theatre=world.theatre).version
    assert workflow.available(people["editor"], change) == ["submit"]
    workflow.move(people["editor"], change, "submit")
    assert change.status == Status.REVIEW and change.submitted_by == people["editor"]
    assert LayerState.objects.get(theatre=world.theatre).version == version  # nothing public yet
    assert workflow.available(people["editor"], change) == []
    assert set(workflow.available(people["publisher"], change)) == {"approve", "send_back"}
    workflow.move(people["publisher"], change, "approve")
    change.refresh_from_db()
    assert change.status == Status.PUBLISHED
    assert LayerState.objects.get(theatre=world.theatre).version > version  # the layers catch up


def test_who_may_not_do_what_is_told_why(world, people):
    change = draft(world)
    with pytest.raises(workflow.WorkflowError, match="only for items in review"):
        workflow.move(people["publisher"], change, "approve")
    workflow.move(people["publisher"], change, "submit")
    with pytest.raises(workflow.WorkflowError, match="only publishers"):
        workflow.move(people["editor"], change, "approve")
    with pytest.raises(workflow.WorkflowError, match="A second person"):
        workflow.move(people["publisher"], change, "approve")
    with pytest.raises(workflow.WorkflowError, match="say why"):
        workflow.move(people["second"], change, "send_back", "  ")
    change.refresh_from_db()
    assert change.status == Status.REVIEW


def test_publishing_needs_a_source(world, people):
    change = draft(world)
    change.sources.clear()
    workflow.move(people["editor"], change, "submit")
    with pytest.raises(workflow.WorkflowError, match="at least one source"):
        workflow.move(people["publisher"], change, "approve")


def test_sending_back_and_retracting_keep_the_comment_and_the_row(client, world, people):
    event = Event.objects.create(theatre=world.theatre, date=dt.date(2020, 2, 3), title="Shelling", type="shelling")
    event.sources.add(world.source)
    workflow.move(people["editor"], event, "submit")
    workflow.move(people["publisher"], event, "send_back", "Which village? Name it.")
    assert event.status == Status.DRAFT and event.status_comment == "Which village? Name it."
    workflow.move(people["editor"], event, "submit")
    workflow.move(people["publisher"], event, "approve")
    listed = client.get("/api/v1/events/", {"theatre": world.theatre.slug}).json()["features"]
    assert [feature["id"] for feature in listed] == [event.pk]
    workflow.move(people["second"], event, "retract", "The report was withdrawn by its publisher.")
    assert Event.objects.get(pk=event.pk).status == Status.RETRACTED
    assert client.get("/api/v1/events/", {"theatre": world.theatre.slug}).json()["features"] == []


def test_the_second_of_two_saves_from_the_same_version_is_refused(world):
    change = draft(world)
    mine, theirs = ControlChange.objects.get(pk=change.pk), ControlChange.objects.get(pk=change.pk)
    theirs.note = "Theirs"
    theirs.save()
    mine.note = "Mine"
    with pytest.raises(ConflictError, match="changed by someone else"):
        mine.save()
    assert ControlChange.objects.get(pk=change.pk).note == "Theirs"
    source = Source.objects.get(pk=world.source.pk)
    Source.objects.get(pk=source.pk).save()
    with pytest.raises(ConflictError):
        source.save()


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_one_wins_in_the_database(world):
    change = draft(world)
    copies = [ControlChange.objects.get(pk=change.pk) for _ in range(2)]
    ready, outcomes = threading.Barrier(2), []

    def save(copy, note):
        try:
            copy.note = note
            ready.wait()
            copy.save()
            outcomes.append(("saved", note))
        except ConflictError:
            outcomes.append(("refused", note))
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=save, args=(copy, f"note {n}")) for n, copy in enumerate(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(kind for kind, _ in outcomes) == ["refused", "saved"]
    winner = next(note for kind, note in outcomes if kind == "saved")
    stored = ControlChange.objects.get(pk=change.pk)
    assert stored.note == winner and stored.version == change.version + 1


def test_in_the_admin_an_editor_submits_and_a_publisher_approves(client, world, people):
    change = draft(world, note="Manbij belt")
    url = f"/admin/territory/controlchange/{change.pk}/change/"
    client.force_login(people["editor"])
    page = client.get(url).content.decode()
    assert 'value="submit"' in page and 'value="approve"' not in page
    data = {**form_data(page), "theatre": world.theatre.pk, "controller": world.green.pk, "date": "2020-02-01",
            "area": change.area.geojson, "note": "Manbij belt", "sources": [world.source.pk]}  # fmt: skip
    data["_move"] = "submit"
    assert client.post(url, data).status_code == 302
    assert ControlChange.objects.get(pk=change.pk).status == Status.REVIEW
    client.force_login(people["publisher"])
    page = client.get(url).content.decode()
    assert 'value="approve"' in page and 'value="send_back"' in page
    data = {**data, **form_data(page), "_move": "approve"}
    assert client.post(url, data, follow=True).status_code == 200
    assert ControlChange.objects.get(pk=change.pk).status == Status.PUBLISHED


def test_in_the_admin_a_save_over_someone_elses_is_refused_with_what_changed(client, world, people):
    change = draft(world, note="Before")
    url = f"/admin/territory/controlchange/{change.pk}/change/"
    client.force_login(people["editor"])
    page = client.get(url).content.decode()
    theirs = ControlChange.objects.get(pk=change.pk)
    theirs.note = "Their correction"
    theirs.save()
    data = {**form_data(page), "theatre": world.theatre.pk, "controller": world.green.pk, "date": "2020-02-01",
            "area": change.area.geojson, "note": "My edit", "sources": [world.source.pk]}  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the editor's input
    page = response.content.decode()
    assert "Someone else saved this item" in page and "Their correction" in page and "My edit" in page
    assert ControlChange.objects.get(pk=change.pk).note == "Their correction"


def test_a_fresh_demo_has_someone_to_submit_and_someone_else_to_publish(db, django_user_model):
    call_command("ensure_admin", stdout=io.StringIO())
    editor, publisher = (django_user_model.objects.get(username=name) for name in ("editor", "publisher"))
    assert editor.is_staff and not editor.has_perm("events.publish_event")
    assert publisher.has_perm("events.publish_event") and publisher.has_perm("territory.publish_controlchange")


def test_each_demo_account_has_a_password_of_its_own(db, django_user_model):
    out = io.StringIO()
    call_command("ensure_admin", stdout=out)
    lines = [line.split() for line in out.getvalue().splitlines() if line.startswith("  ") and len(line.split()) == 2]
    passwords = dict(lines)
    assert set(passwords) == {"admin", "editor", "publisher"} and len(set(passwords.values())) == 3
    for name, password in passwords.items():
        assert django_user_model.objects.get(username=name).check_password(password)
