"""Every reader fuzzed (Hypothesis): generated files of each format, valid and mutated (wrong
types, huge and negative numbers, empty and nested collections, odd encodings and byte-order
marks, control characters and right-to-left marks in text, bytes cut or inserted). Whatever the
file, the import ends in a report or a refusal it foresaw (never the catch-all for a reader's
fault, imports/plan.py dry_run), and a committed import changes exactly the rows its report
listed. A bounded number of examples here; `IMPORT_FUZZ_EXAMPLES=10000 pytest
tests/test_import_fuzz.py` for a long run (its figures are in the README)."""

import csv
import io
import json
import os
import zipfile
from xml.sax.saxutils import escape, quoteattr

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conflictmap.events.models import Event
from conflictmap.imports.geojson import ImportRefused
from conflictmap.imports.plan import commit, dry_run
from conflictmap.territory.models import ControlChange

EXAMPLES = int(os.getenv("IMPORT_FUZZ_EXAMPLES", "60"))
fuzzed = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.getenv("IMPORT_FUZZ_EXAMPLES"),
                  suppress_health_check=list(HealthCheck))  # fmt: skip

# Text as files carry it: any Unicode, with control characters, right-to-left and byte-order marks.
ODD = st.sampled_from(["\u200f", "\u202e", "\ufeff", "\x00", "\x1b", "\r", "\t", "=cmd", "</kml>", "&amp;", '"'])
TEXT = st.one_of(st.text(max_size=40), st.lists(st.one_of(st.text(max_size=8), ODD), max_size=6).map("".join))
NUMBER = st.one_of(st.integers(-(10**30), 10**30), st.floats(allow_nan=True, allow_infinity=True),
                   st.sampled_from([0, -1, 2**31, 2**63]))  # fmt: skip
DATE = st.one_of(st.dates().map(str), st.sampled_from(["2020-02-03", "2020-01-01", "2020-02-30", "03/02/2020"]), TEXT)
ANYTHING = st.recursive(st.one_of(st.none(), st.booleans(), NUMBER, TEXT),
                        lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                st.dictionaries(TEXT, inner, max_size=3)), max_leaves=8)  # fmt: skip
LON, LAT = st.floats(9, 15), st.floats(9, 14)  # around Toyland (10–14 °E, 10–13 °N), often inside


def value(good):
    """Mostly a plausible value, sometimes anything at all (a wrong type, a huge number...)."""
    return st.one_of(good, good, good, ANYTHING)


EVENT = st.fixed_dictionaries({
    "date": value(DATE), "title": value(TEXT), "type": value(st.sampled_from(["clash", "shelling", "boom"])),
}, optional={
    "id": value(TEXT), "fatalities": value(NUMBER), "description": value(TEXT), "place_name": value(TEXT),
    "confidence": value(st.sampled_from(["high", "low", "sure"])), "source_url": value(TEXT),
    "source_title": value(TEXT), "date_precision": value(st.sampled_from(["day", "month", "week"])),
})  # fmt: skip
CHANGE = st.fixed_dictionaries({"date": value(DATE), "controller": value(st.sampled_from(["red", "green", "nobody"]))},
                               optional={"id": value(TEXT), "note": value(TEXT)})  # fmt: skip


@st.composite
def geometry(draw, kind: str):
    if kind == "event":
        return {"type": "Point", "coordinates": [draw(LON), draw(LAT)]}
    west, south, size = draw(LON), draw(LAT), draw(st.floats(0.01, 2))
    ring = [[west, south], [west + size, south], [west + size, south + size], [west, south + size], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


@st.composite
def features(draw):
    kinds = draw(st.lists(st.sampled_from(["event", "change"]), max_size=5))
    return [(kind, draw(EVENT if kind == "event" else CHANGE), draw(value(geometry(kind)))) for kind in kinds]


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """The file as written, or re-encoded, or with bytes cut, inserted or replaced."""
    how = draw(st.sampled_from(["as is", "as is", "bom", "utf-16", "latin-1", "cut", "insert", "replace"]))
    if how == "bom":
        return b"\xef\xbb\xbf" + data
    if how in ("utf-16", "latin-1"):
        return data.decode().encode(how, errors="replace")
    at = draw(st.integers(0, len(data)))
    if how == "cut":
        return data[:at]
    junk = draw(st.binary(min_size=1, max_size=8))
    return data[:at] + junk + data[at + (len(junk) if how == "replace" else 0) :]


def geojson_file(items) -> bytes:
    return json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": shape, "properties": properties} for _, properties, shape in items
    ]}).encode()  # fmt: skip


def kml_file(items) -> bytes:
    placemarks = []
    for _, properties, shape in items:
        data = "".join(f"<Data name={quoteattr(str(name))}><value>{escape(str(text))}</value></Data>"
                       for name, text in properties.items())  # fmt: skip
        coordinates = shape.get("coordinates") if isinstance(shape, dict) else None
        if isinstance(shape, dict) and shape.get("type") == "Point":
            where = f"<Point><coordinates>{','.join(map(str, coordinates))}</coordinates></Point>"
        elif isinstance(shape, dict) and shape.get("type") == "Polygon":
            ring = " ".join(",".join(map(str, position)) for position in coordinates[0])
            where = f"<Polygon><outerBoundaryIs><LinearRing><coordinates>{ring}</coordinates></LinearRing>" \
                    "</outerBoundaryIs></Polygon>"  # fmt: skip
        else:
            where = f"<description>{escape(json.dumps(shape))}</description>"
        placemarks.append(f"<Placemark><ExtendedData>{data}</ExtendedData>{where}</Placemark>")
    return (f'<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document>'
            f'{"".join(placemarks)}<NetworkLink><Link><href>http://127.0.0.1:9/x.kml</href></Link></NetworkLink>'
            "</Document></kml>").encode("utf-8", errors="replace")  # fmt: skip


ACLED_COLUMNS = ["event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type", "actor1",
                 "actor2", "location", "latitude", "longitude", "fatalities", "notes", "source"]  # fmt: skip
ACLED_ROW = st.fixed_dictionaries({
    "event_id_cnty": value(TEXT), "event_date": value(st.sampled_from(["2020-02-03", "03 February 2020"])),
    "time_precision": value(st.sampled_from(["1", "2", "3"])), "event_type": value(st.sampled_from(["Battles"])),
    "sub_event_type": value(TEXT), "actor1": value(TEXT), "actor2": value(TEXT), "location": value(TEXT),
    "latitude": value(LAT), "longitude": value(LON), "fatalities": value(NUMBER), "notes": value(TEXT),
    "source": value(TEXT),
})  # fmt: skip


def acled_file(rows, columns) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({name: "" if cell is None else str(cell) for name, cell in row.items()})
    return out.getvalue().encode("utf-8", errors="replace")


def kmz_file(items) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("doc.kml", kml_file(items))
    return out.getvalue()


def import_holds(theatre, kind: str, data: bytes) -> None:
    """The property: a report or a foreseen refusal; committed, exactly the rows reported."""
    try:
        result = dry_run(theatre, kind, data)
    except ImportRefused as refused:
        assert refused.__cause__ is None, f"a reader's fault, not a foreseen refusal: {refused}"
        return
    if result.rejected:
        return  # a rejected row blocks the import: nothing to commit
    before = Event.objects.count(), ControlChange.objects.count()
    committed = commit(theatre, kind, data, None, f"fuzzed.{kind}")
    assert committed.report() == result.report()
    created = [row.kind for row in result.create]
    after = Event.objects.count(), ControlChange.objects.count()
    assert after == (before[0] + created.count("event"), before[1] + created.count("change"))


pytestmark = pytest.mark.django_db


@fuzzed
@given(items=features(), data=st.data())
def test_geojson_files_end_in_a_report_or_a_refusal(world, items, data):
    import_holds(world.theatre, "geojson", data.draw(mutated(geojson_file(items))))


@fuzzed
@given(documents=st.one_of(ANYTHING.map(json.dumps), st.binary(max_size=64).map(bytes.hex)))
def test_any_json_at_all_ends_in_a_report_or_a_refusal(world, documents):
    import_holds(world.theatre, "geojson", documents.encode())


@fuzzed
@given(items=features(), data=st.data(), zipped=st.booleans())
def test_kml_and_kmz_files_end_in_a_report_or_a_refusal(world, items, data, zipped):
    raw = kmz_file(items) if zipped else kml_file(items)
    import_holds(world.theatre, "kmz" if zipped else "kml", data.draw(mutated(raw)) if not zipped else raw)


@fuzzed
@given(rows=st.lists(ACLED_ROW, max_size=5), data=st.data(),
       columns=st.one_of(st.just(ACLED_COLUMNS), st.permutations(ACLED_COLUMNS),
                         st.lists(st.sampled_from(ACLED_COLUMNS), min_size=1, unique=True)))  # fmt: skip
def test_acled_files_end_in_a_report_or_a_refusal(world, rows, data, columns):
    import_holds(world.theatre, "acled", data.draw(mutated(acled_file(rows, columns))))
