"""Every field an import writes fits what the models and the database store (imports/limits.py),
and whatever a file holds ends in a report or a refusal with its reason, never a traceback: the
four files that got through or crashed before (a date decades ahead, a title of a million
characters cut silently, fatalities beyond the database's integers, a KML of a NetworkLink)."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command

from conflictmap.events.models import Event
from conflictmap.imports import plan as imports
from conflictmap.imports.writes import Writer
from tests.test_import import GOOD, SAMPLE, counts, feature, point, run, square, with_feature


def dry_run(tmp_path, document, name="odd.geojson"):
    """The report of a dry run that rejects something (exit status 1)."""
    out = io.StringIO()
    path = tmp_path / name
    path.write_bytes(document if isinstance(document, bytes) else json.dumps(document).encode())
    with pytest.raises(SystemExit) as exit:
        call_command("import", str(path), "--theatre", "toyland", stdout=out, stderr=io.StringIO())
    assert exit.value.code == 1
    return out.getvalue()


def test_a_date_in_the_future_is_rejected(tmp_path, world):
    ahead = (dt.date.today() + dt.timedelta(days=365 * 40)).isoformat()
    report = dry_run(tmp_path, with_feature(feature(point(10.5, 11), **{**GOOD, "date": ahead})))
    assert f"its date {ahead} is in the future" in report


def test_a_day_ahead_is_allowed_for_time_zones(tmp_path, world):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    assert "1 to create" in run(tmp_path, with_feature(feature(point(10.5, 11), **{**GOOD, "date": tomorrow})))


def test_a_title_too_long_is_cut_with_a_line_in_the_report(tmp_path, world):
    document = with_feature(feature(point(10.5, 11), **{**GOOD, "title": "t" * 1_000_000, "id": "long"}))
    report = run(tmp_path, document)
    assert "its title of 1,000,000 characters is cut to the 200 a title holds" in report
    run(tmp_path, document, "--commit")
    assert len(Event.objects.get(external_id="long").title) == 200


def test_fatalities_beyond_the_databases_integers_are_rejected_in_the_dry_run(tmp_path, world):
    before = counts()
    document = with_feature(feature(point(10.5, 11), **{**GOOD, "fatalities": 10**20}))
    report = dry_run(tmp_path, document)
    assert (
        "its fatalities 100,000,000,000,000,000,000 is outside what the database stores (0 to 2,147,483,647)" in report
    )
    with pytest.raises(SystemExit):
        run(tmp_path, document, "--commit")
    assert counts() == before


@pytest.mark.parametrize(("field", "value", "reason"), [
    ("id", "x" * 101, "its external_id is 101 characters long, and at most 100 are stored"),
    ("source_url", "https://example.org/" + "a" * 500, "its source's url is 520 characters long"),
])  # fmt: skip
def test_an_id_or_address_too_long_is_rejected_not_cut(tmp_path, world, field, value, reason):
    report = dry_run(tmp_path, with_feature(feature(point(10.5, 11), **{**GOOD, field: value})))
    assert reason in report


def test_a_sources_title_too_long_is_cut_with_a_line(tmp_path, world):
    document = with_feature(feature(point(10.5, 11), **{**GOOD, "source_title": "s" * 400,
                                                        "source_url": "https://example.org/r"}))  # fmt: skip
    assert "its source's title of 400 characters is cut to the 300 a source's title holds" in run(tmp_path, document)


def test_shapes_and_files_over_their_caps_are_refused_with_the_setting_named(tmp_path, world, settings):
    settings.IMPORT_MAX_VERTICES = 4
    report = dry_run(tmp_path, with_feature(feature(square(10.2, 10.2), date="2020-02-05", controller="green")))
    assert "its shape has 5 vertices, more than the 4 a shape may have (IMPORT_MAX_VERTICES)" in report
    settings.IMPORT_MAX_FEATURES = 2
    with pytest.raises(CommandError, match="more than 2 features, the limit .IMPORT_MAX_FEATURES."):
        run(tmp_path, SAMPLE)


NETWORK_LINK_ONLY = b"""<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<NetworkLink><name>Front lines</name><Link><href>http://127.0.0.1:9/front.kml</href></Link></NetworkLink>
<GroundOverlay><Icon><href>http://127.0.0.1:9/map.png</href></Icon></GroundOverlay>
</Document></kml>"""


def test_a_kml_of_links_alone_is_refused_as_holding_nothing_and_names_what_it_ignored(tmp_path, world):
    with pytest.raises(CommandError) as refused:
        run(tmp_path, NETWORK_LINK_ONLY, name="links.kml")
    message = str(refused.value)
    assert "holds nothing to import" in message
    assert "1 NetworkLink element (links to other files, never fetched)" in message
    assert "1 GroundOverlay element" in message


def test_ignored_kml_elements_are_listed_beside_what_is_imported(tmp_path, world):
    placemark = b"""<Placemark><name>Clash</name><ExtendedData>
<Data name="date"><value>2020-02-03</value></Data><Data name="type"><value>clash</value></Data>
</ExtendedData><Point><coordinates>10.5,11</coordinates></Point></Placemark>"""
    document = NETWORK_LINK_ONLY.replace(b"</Document>", placemark + b"</Document>")
    report = run(tmp_path, document, name="mixed.kml")
    assert "1 to create" in report and "  ignored: 1 NetworkLink element" in report


def test_an_unforeseen_failure_reading_or_applying_is_a_refusal_and_leaves_nothing(tmp_path, world, monkeypatch):
    """A fault no check foresaw (simulated by a reader and a save that fail) is reported, not raised."""
    before = counts()

    def broken_reader(data):
        raise KeyError("properties")

    monkeypatch.setitem(imports.READERS, "geojson", broken_reader)
    with pytest.raises(CommandError, match=r"refused, nothing imported: It could not be read \(KeyError"):
        run(tmp_path, SAMPLE)
    with pytest.raises(CommandError, match=r"refused, nothing imported: It could not be read or applied \(KeyError"):
        run(tmp_path, SAMPLE, "--commit")
    monkeypatch.undo()

    written = []

    def create_events(writer, rows, factions):
        real_create(writer, rows, factions)
        written.extend(Event.objects.values_list("pk", flat=True))

    def failing_save(writer, row, item, factions):
        raise ValueError("the disk is full")

    real_create = Writer.create_events
    monkeypatch.setattr(Writer, "create_events", create_events)
    monkeypatch.setattr(Writer, "save", failing_save)  # the control change, saved after the events
    with pytest.raises(CommandError, match="or applied .ValueError: the disk is full.; nothing was imported"):
        run(tmp_path, SAMPLE, "--commit")
    assert written and counts() == before, "the events written first were rolled back with the rest"
