"""A correction to a published item goes live only when a second person approves it (editorial/
proposals.py): readers keep the published version meanwhile, and History shows the proposal,
the decision and who made each."""

import datetime as dt
import json

from conflictmap.editorial.models import Proposal
from conflictmap.territory.models import ControlChange, LayerState
from tests.conftest import rect
from tests.editors import form_data


def published(world) -> ControlChange:
    return world.change(dt.date(2020, 2, 1), world.green, rect(10, 10, 11, 11), note="Green took the ford")


def propose_wider(client, world, change, **notes):
    url = f"/admin/territory/controlchange/{change.pk}/change/"
    data = {**form_data(client.get(url).content.decode()), "theatre": world.theatre.pk, "controller": world.green.pk,
            "date": "2020-02-01", "area": json.dumps(json.loads(rect(10, 10, 12, 11).geojson)),
            "note": "Green took the ford and the bridge", "sources": [world.source.pk], **notes}  # fmt: skip
    return client.post(url, data)


def control_on(client, date="2020-03-01"):
    return client.get("/api/v1/control/", {"theatre": "toyland", "date": date}).json()


def test_an_editors_correction_waits_and_readers_keep_the_published_version(client, world, people):
    change = published(world)
    world.build()
    before, version = control_on(client), LayerState.objects.get(theatre=world.theatre).version
    client.force_login(people["editor"])
    response = propose_wider(client, world, change, _reason="The bridge too.", _internal="Per our stringer.")
    assert response.status_code == 302
    stored = ControlChange.objects.get(pk=change.pk)
    assert (stored.note, stored.version, stored.area.equals(rect(10, 10, 11, 11))) == ("Green took the ford", 1, True)
    assert LayerState.objects.get(theatre=world.theatre).version == version  # no rebuild: nothing went live
    assert control_on(client) == before
    assert "The bridge too." not in client.get("/changes/").content.decode()
    waiting = Proposal.objects.get()
    assert (waiting.proposed_by, waiting.note, waiting.outcome) == (people["editor"], "The bridge too.", "")
    page = client.get(f"/admin/territory/controlchange/{change.pk}/change/").content.decode()
    assert (
        "A correction waits for review" in page and "Approve the correction" not in page
    )  # not the editor's to decide


def test_a_second_person_approves_and_then_it_is_live_and_in_the_corrections_log(client, world, people):
    change = published(world)
    world.build()
    client.force_login(people["publisher"])
    propose_wider(client, world, change, _reason="The bridge too.")
    decide = f"/admin/territory/controlchange/{change.pk}/correction/"
    client.post(decide, {"_correction": "approve"})  # by its own author: refused
    assert ControlChange.objects.get(pk=change.pk).note == "Green took the ford"
    client.force_login(people["second"])
    assert (
        "Approve the correction" in client.get(f"/admin/territory/controlchange/{change.pk}/change/").content.decode()
    )
    assert client.post(decide, {"_correction": "approve"}).status_code == 302
    stored = ControlChange.objects.get(pk=change.pk)
    assert stored.note == "Green took the ford and the bridge" and stored.area.equals(rect(10, 10, 12, 11))
    assert stored.status == "published" and LayerState.objects.get(theatre=world.theatre).dirty_since is not None
    log = client.get("/changes/").content.decode()
    assert "The bridge too." in log and "Corrected:" in log
    history = client.get(f"/admin/territory/controlchange/{change.pk}/history/").content.decode()
    assert "Corrections proposed" in history and "publisher" in history and "second" in history
    assert "Approved the correction proposed by publisher" in history


def test_a_rejected_correction_changes_nothing_and_says_why(client, world, people):
    change = published(world)
    client.force_login(people["editor"])
    propose_wider(client, world, change)
    client.force_login(people["publisher"])
    decide = f"/admin/territory/controlchange/{change.pk}/correction/"
    client.post(decide, {"_correction": "reject", "_move_comment": ""})  # a rejection needs its reason
    assert Proposal.objects.get().outcome == ""
    client.post(decide, {"_correction": "reject", "_move_comment": "The bridge is still contested."})
    assert Proposal.objects.get().outcome == "rejected"
    assert ControlChange.objects.get(pk=change.pk).note == "Green took the ford"


def test_a_correction_overtaken_by_another_edit_must_be_proposed_again(client, world, people):
    change = published(world)
    client.force_login(people["editor"])
    propose_wider(client, world, change)
    meanwhile = ControlChange.objects.get(pk=change.pk)
    meanwhile.note = "Edited by a script meanwhile"
    meanwhile.save()
    client.force_login(people["publisher"])
    client.post(f"/admin/territory/controlchange/{change.pk}/correction/", {"_correction": "approve"})
    assert ControlChange.objects.get(pk=change.pk).note == "Edited by a script meanwhile"
    assert Proposal.objects.get().outcome == ""  # still there, for its author to propose again


def test_restoring_an_old_version_of_a_published_item_is_a_correction_to_review(client, world, people):
    from conflictmap.editorial import history

    change = published(world)
    change.note = "Green took the ford, then lost it"
    change.save()
    first = history.revisions_of(ControlChange, change.pk).order_by("id").first()
    client.force_login(people["publisher"])
    client.post(f"/admin/territory/controlchange/{change.pk}/history/", {"restore": first.pk, "_reason": "Back to v1"})
    assert ControlChange.objects.get(pk=change.pk).note == "Green took the ford, then lost it"  # still live
    waiting = Proposal.objects.get()
    assert (waiting.data["note"], waiting.note) == ("Green took the ford", "Back to v1")
    client.force_login(people["second"])
    client.post(f"/admin/territory/controlchange/{change.pk}/correction/", {"_correction": "approve"})
    assert ControlChange.objects.get(pk=change.pk).note == "Green took the ford"
