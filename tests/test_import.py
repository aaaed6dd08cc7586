"""`manage.py import` of GeoJSON (conflictmap/imports/): a dry run first, then one transaction
of drafts; re-importing changes nothing; hostile files are refused and leave no trace."""

import io
import json

import pytest
from django.core.management import CommandError, call_command

from conflictmap.atlas.models import Source
from conflictmap.editorial import proposals
from conflictmap.editorial.models import Revision
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.territory.models import ControlChange


def feature(geometry, **properties):
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def point(lng, lat):
    return {"type": "Point", "coordinates": [lng, lat]}


def square(west, south, size=0.5):
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


SAMPLE = {
    "type": "FeatureCollection",
    "features": [
        feature(point(10.5, 11.2), id="ev-1", date="2020-02-03", title="Shelling of the river crossing",
                type="shelling", description="Reported by **two** local outlets.", confidence="medium",
                source_url="https://example.org/report-1", source_title="Local report", source_publisher="Gazette"),
        feature(point(12.5, 12.2), id="ev-2", date="2020-02-04", title="Clash near the ridge", type="clash",
                fatalities=3),
        feature({"type": "MultiPolygon", "coordinates": [square(10.2, 10.2)["coordinates"]]}, id="cc-1",
                date="2020-02-05", controller="green", note="Ridge taken", source_url="https://example.org/report-2"),
    ],
}  # fmt: skip


def run(tmp_path, document, *options, name="sample.geojson"):
    path = tmp_path / name
    path.write_bytes(document if isinstance(document, bytes) else json.dumps(document).encode())
    out, err = io.StringIO(), io.StringIO()
    call_command("import", str(path), "--theatre", "toyland", *options, stdout=out, stderr=err)
    return out.getvalue()


def counts():
    return Event.objects.count(), ControlChange.objects.count(), Source.objects.count(), Revision.objects.count()


def test_a_dry_run_reports_and_changes_nothing_then_commit_imports_drafts_once(tmp_path, world):
    before = counts()
    report = run(tmp_path, SAMPLE)
    assert "3 to create, 0 to update, 0 unchanged, 0 rejected." in report and "Dry run" in report
    assert counts() == before
    run(tmp_path, SAMPLE, "--commit")
    events = Event.objects.filter(theatre=world.theatre).order_by("date")
    assert [(e.external_id, e.status) for e in events] == [("ev-1", Status.DRAFT), ("ev-2", Status.DRAFT)]
    assert events[0].description_html == "<p>Reported by <strong>two</strong> local outlets.</p>"
    assert events[0].sources.get().url == "https://example.org/report-1" and events[1].fatalities == 3
    change = ControlChange.objects.get(external_id="cc-1")
    assert change.status == Status.DRAFT and change.controller == world.green and change.note == "Ridge taken"
    imported = Revision.objects.filter(comment="Imported from sample.geojson")
    assert imported.values("batch").distinct().count() == 1  # one revision of the whole import
    assert sorted(imported.values_list("content_type__model", flat=True)) == [
        "controlchange", "event", "event", "source", "source",  # the two sources were new too
    ]  # fmt: skip
    again = counts()
    assert "0 to create, 0 to update, 3 unchanged, 0 rejected." in run(tmp_path, SAMPLE, "--commit")
    assert counts() == again  # importing the same file again is idempotent
    edited = json.loads(json.dumps(SAMPLE))
    edited["features"][1]["properties"]["fatalities"] = 4
    assert "0 to create, 1 to update, 2 unchanged" in run(tmp_path, edited, "--commit")
    assert Event.objects.get(external_id="ev-2").fatalities == 4


def with_feature(*features):
    return {"type": "FeatureCollection", "features": list(features)}


GOOD = {"date": "2020-02-03", "title": "An event", "type": "clash"}
BOWTIE = {"type": "Polygon", "coordinates": [[[10.2, 10.2], [11, 11], [11, 10.2], [10.2, 11], [10.2, 10.2]]]}
FLAT = {"type": "Polygon", "coordinates": [[[10.2, 10.2], [11, 10.2], [11.5, 10.2], [10.2, 10.2]]]}
MERCATOR = {"type": "name", "properties": {"name": "EPSG:3857"}}
REFUSED_FILES = {
    "NaN in coordinates": b'{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point",'
    b'"coordinates":[NaN,11]},"properties":{"date":"2020-02-03","title":"x","type":"clash"}}]}',
    "Infinity as a number": b'{"type":"FeatureCollection","features":[],"bbox":[Infinity,0,0,0]}',
    "not JSON": b"<kml><Document></Document></kml>",
    "not UTF-8": b'{"type": "FeatureCollection", "features": [], "name": "\xff\xfe"}',
    "a Feature, not a collection": json.dumps(feature(point(10.5, 11), **GOOD)).encode(),
    "features not a list": b'{"type":"FeatureCollection","features":{"a":1}}',
    "web mercator CRS": json.dumps(
        {
            **with_feature(feature(point(1168854, 1232106), **GOOD)),
            "crs": {"type": "name", "properties": {"name": "EPSG:3857"}},
        }
    ).encode(),  # fmt: skip
    "nesting bomb": b'{"type":"FeatureCollection","features":[],"x":' + b"[" * 100_000 + b"]" * 100_000 + b"}",
    "deep but parseable nesting": b'{"type":"FeatureCollection","features":[],"x":' + b"[" * 40 + b"]" * 40 + b"}",
    "empty file": b"",
}
REJECTED_FEATURES = {
    "out of range": (feature(point(10.5, 120), **GOOD), "out of range"),
    "self-intersecting": (feature(BOWTIE, date="2020-02-03", controller="green"), "invalid"),
    "degenerate": (feature(FLAT, date="2020-02-03", controller="green"), "invalid"),
    "no date": (feature(point(10.5, 11), title="x", type="clash"), "no date"),
    "malformed date": (feature(point(10.5, 11), **{**GOOD, "date": "2020-13-45"}), "not a date"),
    "date as a number": (feature(point(10.5, 11), **{**GOOD, "date": 20200203}), "no date"),
    "before the theatre starts": (feature(point(10.5, 11), **{**GOOD, "date": "1999-01-01"}), "before"),
    "a line": (feature({"type": "LineString", "coordinates": [[10, 10], [11, 11]]}, **GOOD), "LineString"),
    "no geometry": (feature(None, **GOOD), "geometry must be"),
    "empty coordinates": (feature({"type": "Point", "coordinates": []}, **GOOD), "malformed"),
    "string coordinates": (feature({"type": "Point", "coordinates": ["10", "11"]}, **GOOD), "malformed"),
    "unknown type": (feature(point(10.5, 11), **{**GOOD, "type": "<script>"}), "none of"),
    "unknown faction": (feature(square(10.2, 10.2), date="2020-02-03", controller="nobody"), "no faction"),
    "outside the theatre": (feature(square(50, 50), date="2020-02-03", controller="green"), "outside the theatre"),
    "point outside": (feature(point(36.5, 38.2), **GOOD), "outside the theatre"),
    "javascript source": (feature(point(10.5, 11), **GOOD, source_url="javascript:alert(1)"), "web address"),
    "negative fatalities": (feature(point(10.5, 11), **GOOD, fatalities=-2), "whole number"),
    "not a Feature": ({"type": "Point", "coordinates": [10.5, 11]}, "not a GeoJSON Feature"),
    "properties a list": ({"type": "Feature", "geometry": point(10.5, 11), "properties": [1]}, "not an object"),
}


@pytest.mark.parametrize("name", REFUSED_FILES)
def test_a_hostile_file_is_refused_whole_with_a_reason(tmp_path, world, name):
    before = counts()
    with pytest.raises(CommandError, match="refused, nothing imported"):
        run(tmp_path, REFUSED_FILES[name], "--commit")
    assert counts() == before


def test_a_file_over_the_size_limit_is_refused(tmp_path, world, settings):
    settings.IMPORT_MAX_BYTES = 1000
    with pytest.raises(CommandError, match="the limit is 1,000"):
        run(tmp_path, {**SAMPLE, "padding": "x" * 2000}, "--commit")


@pytest.mark.parametrize("name", REJECTED_FEATURES)
def test_a_hostile_feature_is_rejected_and_nothing_is_imported(tmp_path, world, name):
    hostile, _ = REJECTED_FEATURES[name]
    before = counts()
    document = with_feature(*SAMPLE["features"], hostile)
    with pytest.raises(SystemExit) as exit:
        run(tmp_path, document, "--commit")
    assert exit.value.code == 1
    assert counts() == before


def test_the_report_names_each_rejected_feature_and_why(tmp_path, world):
    document = with_feature(*SAMPLE["features"], *(hostile for hostile, _ in REJECTED_FEATURES.values()))
    out = io.StringIO()
    path = tmp_path / "mixed.geojson"
    path.write_text(json.dumps(document))
    with pytest.raises(SystemExit):
        call_command("import", str(path), "--theatre", "toyland", stdout=out, stderr=io.StringIO())
    report = out.getvalue()
    assert f"3 to create, 0 to update, 0 unchanged, {len(REJECTED_FEATURES)} rejected." in report
    for number, (_, reason) in enumerate(REJECTED_FEATURES.values(), start=len(SAMPLE["features"]) + 1):
        line = next(line for line in report.splitlines() if line.startswith(f"  rejected: feature {number}:"))
        assert reason in line, (number, line)


def test_a_number_too_large_for_a_float_is_rejected_as_not_finite(tmp_path, world):
    document = json.dumps(with_feature(feature(point(10.5, 11), **GOOD))).replace("10.5", "1e999").encode()
    out = io.StringIO()
    path = tmp_path / "overflow.geojson"
    path.write_bytes(document)
    with pytest.raises(SystemExit):
        call_command("import", str(path), "--theatre", "toyland", stdout=out, stderr=io.StringIO())
    assert "not all finite numbers" in out.getvalue()


def test_duplicate_ids_in_one_file_are_rejected(tmp_path, world):
    document = with_feature(*SAMPLE["features"], SAMPLE["features"][0])
    with pytest.raises(SystemExit):
        run(tmp_path, document)


def test_an_import_that_changes_a_published_item_proposes_a_correction_for_review(tmp_path, world, people):
    run(tmp_path, SAMPLE, "--commit")
    event = Event.objects.get(external_id="ev-2")
    event.status = Status.PUBLISHED
    event.save()
    edited = json.loads(json.dumps(SAMPLE))
    edited["features"][1]["properties"].update(fatalities=7, source_url="https://example.org/report-3")
    report = run(tmp_path, edited, "--commit", "--user", "editor")
    assert "1 corrections of published items for review" in report and "wait for a publisher's approval" in report
    stored = Event.objects.get(pk=event.pk)
    assert (stored.fatalities, stored.status, stored.version) == (3, Status.PUBLISHED, event.version)  # untouched
    waiting = proposals.pending_for(stored)
    assert waiting.proposed_by == people["editor"] and waiting.data["fatalities"] == 7
    assert "0 to update, 3 unchanged" in run(tmp_path, edited, "--commit")
    other = json.loads(json.dumps(edited))
    other["features"][1]["properties"]["fatalities"] = 8  # a second, different correction of the same item
    (tmp_path / "other.geojson").write_text(json.dumps(other))
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("import", tmp_path / "other.geojson", "--theatre", "toyland", stdout=out, stderr=io.StringIO())
    assert "a correction by editor already waits for review" in out.getvalue()
    with pytest.raises(proposals.CorrectionError):
        proposals.approve(people["editor"], waiting)  # not by its author
    proposals.approve(people["publisher"], waiting)
    stored.refresh_from_db()
    assert stored.fatalities == 7 and stored.status == Status.PUBLISHED
    assert sorted(stored.sources.values_list("url", flat=True)) == ["https://example.org/report-3"]
