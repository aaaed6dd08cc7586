"""`manage.py import` of ACLED CSV exports (conflictmap/imports/acled.py): columns by header,
both of ACLED's date styles, the editable type and actor mapping, and ACLED's credit."""

import csv
import importlib
import io

import pytest
from django.core.management import CommandError, call_command

from conflictmap.atlas.models import Source
from conflictmap.editorial import history
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.imports import plan as imports
from conflictmap.imports.models import NameMapping
from tests.test_import import counts

command = importlib.import_module("conflictmap.imports.management.commands.import")  # a keyword as a name

# Shaped like ACLED's exports (invented rows, not ACLED data): recent columns and date style...
RECENT = [
    ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type",
     "actor1", "actor2", "country", "location", "latitude", "longitude", "geo_precision", "source", "notes",
     "fatalities"],
    ["TOY1001", "2020-02-03", "2020", "1", "Political violence", "Explosions/Remote violence", "Air/drone strike",
     "Red Air Force", "Blue Militia", "Toyland", "Rivertown", "11.2", "10.5", "1", "Toy Press",
     "On 3 February 2020, an air strike hit the river crossing.", "2"],
    ["TOY1002", "2020-02-10", "2020", "3", "Political violence", "Battles", "Armed clash",
     "Unknown Group", "", "Toyland", "Ridge", "12.2", "12.5", "2", "", "Clashes near the ridge.", "0"],
]  # fmt: skip
# ...and an older export: other column order, dates as "05 February 2020".
OLDER = [
    ["data_id", "event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "latitude", "longitude",
     "location", "fatalities", "notes", "source"],
    ["1", "TOY0007", "05 February 2020", "Strategic developments", "Agreement", "Red Air Force", "11.5", "11.5",
     "Capital", "0", "A truce was agreed.", "Toy Press"],
]  # fmt: skip


def csv_bytes(rows) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode()


def run(tmp_path, rows_or_bytes, *options):
    path = tmp_path / "acled.csv"
    path.write_bytes(rows_or_bytes if isinstance(rows_or_bytes, bytes) else csv_bytes(rows_or_bytes))
    out = io.StringIO()
    call_command("import", str(path), "--theatre", "toyland", *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_an_acled_export_imports_with_mapped_types_actors_and_acleds_credit(tmp_path, world):
    NameMapping.objects.create(dataset="acled", field="actor", value="Red Air Force", maps_to="red")
    report = run(tmp_path, RECENT)
    assert "2 to create" in report and "ignored: actor 'Unknown Group', in 1 row, is not mapped to a faction" in report
    assert "ignored: actor 'Blue Militia', in 1 row, is not mapped" in report  # said once per actor
    run(tmp_path, RECENT, "--commit")
    strike, clash = Event.objects.get(external_id="TOY1001"), Event.objects.get(external_id="TOY1002")
    assert strike.type == "air_strike" and strike.fatalities == 2 and strike.status == Status.DRAFT
    assert [actor.slug for actor in strike.actors.all()] == ["red"]  # the unmapped Blue Militia left out
    assert strike.title == "Air/drone strike in Rivertown" and "ACLED's sources: Toy Press" in strike.description
    assert clash.type == "clash" and clash.date_precision == "month" and clash.date.isoformat() == "2020-02-01"
    credit = strike.sources.get()
    assert credit.url == "https://acleddata.com/" and credit.title.startswith("ACLED: Armed Conflict Location")
    assert "accessed 20" in credit.title
    assert "0 to create, 0 to update, 2 unchanged" in run(tmp_path, RECENT, "--commit")


def test_older_exports_columns_and_date_style_are_read(tmp_path, world):
    run(tmp_path, OLDER, "--commit")
    truce = Event.objects.get(external_id="TOY0007")
    assert truce.date.isoformat() == "2020-02-05" and truce.type == "agreement" and truce.place_name == "Capital"


def test_an_edited_mapping_changes_what_the_next_import_maps(tmp_path, world):
    NameMapping.objects.filter(dataset="acled", value="Armed clash").update(maps_to="encirclement")
    run(tmp_path, RECENT, "--commit")
    assert Event.objects.get(external_id="TOY1002").type == "encirclement"


def test_bad_rows_are_rejected_with_their_reason(tmp_path, world):
    rows = [RECENT[0], RECENT[1][:1] + ["3 Feb 20"] + RECENT[1][2:], RECENT[2][:11] + ["north"] + RECENT[2][12:]]
    before = counts()
    out = io.StringIO()
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows))
    with pytest.raises(SystemExit):
        call_command("import", str(path), "--theatre", "toyland", "--commit", stdout=out, stderr=io.StringIO())
    assert "feature 1: its event_date '3 Feb 20' is not a date ACLED writes" in out.getvalue()
    assert "feature 2: could not convert string to float: 'north'" in out.getvalue()
    assert counts() == before


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"country,notes\nToyland,x\n", "no column event_date, event_id_cnty"),
        ("event_id_cnty,event_date\n".encode("utf-16"), "not UTF-8"),
        (b"", "no column"),
    ],
)
def test_files_that_are_no_acled_export_are_refused(tmp_path, world, data, reason):
    with pytest.raises(CommandError, match=reason):
        run(tmp_path, data, "--commit")


def many_rows(count: int) -> list[list[str]]:
    """An export of `count` events, each a row like RECENT's first."""
    header, first = RECENT[0], RECENT[1]
    return [header, *([f"TOY{2000 + n}", *first[1:]] for n in range(count))]


def test_a_large_export_is_read_and_written_a_chunk_at_a_time_with_progress_on_stderr(tmp_path, world, monkeypatch):
    """Chunks of 3 rows (2,000 in use): every row lands once, with its links and its revision as a
    recorded save keeps it, and the terminal is told how far the import has read."""
    NameMapping.objects.create(dataset="acled", field="actor", value="Red Air Force", maps_to="red")
    monkeypatch.setattr(imports, "CHUNK", 3)
    monkeypatch.setattr(command, "PROGRESS_EVERY", 3)
    monkeypatch.setattr(command, "LISTED", 4)
    path = tmp_path / "acled.csv"
    path.write_bytes(csv_bytes(many_rows(10)))
    out, err = io.StringIO(), io.StringIO()
    call_command("import", str(path), "--theatre", "toyland", "--commit", stdout=out, stderr=err)
    assert "10 to create" in out.getvalue() and "...and 6 more to create" in out.getvalue()
    assert "read 3 rows of about 10 (30%)..." in err.getvalue() and "read 9 rows of about 10 (90%)" in err.getvalue()
    events = Event.objects.filter(external_id__startswith="TOY2").order_by("external_id")
    assert [event.external_id for event in events] == [f"TOY{2000 + n}" for n in range(10)]
    assert all(event.actors.get() == world.red and event.sources.get().publisher == "ACLED" for event in events)
    for event in events:
        revision = history.revisions_of(Event, event.pk).get()
        assert revision.action == "created" and revision.comment == "Imported from acled.csv"
        assert revision.data == history.fields_of(event), "as a recorded save would keep it"
    assert Source.objects.filter(publisher="ACLED").count() == 1
    again = io.StringIO()
    call_command("import", str(path), "--theatre", "toyland", stdout=again, stderr=io.StringIO())
    assert "0 to create, 0 to update, 10 unchanged, 0 rejected." in again.getvalue()


def test_a_row_rejected_in_a_later_chunk_leaves_nothing_of_the_earlier_ones(tmp_path, world, monkeypatch):
    monkeypatch.setattr(imports, "CHUNK", 3)
    rows = many_rows(8)
    rows[7][1] = "not a date"
    path = tmp_path / "acled.csv"
    path.write_bytes(csv_bytes(rows))
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import", str(path), "--theatre", "toyland", "--commit", stdout=out, stderr=io.StringIO())
    assert "rejected: feature 7: its event_date 'not a date'" in out.getvalue()
    assert not Event.objects.filter(external_id__startswith="TOY2").exists()
