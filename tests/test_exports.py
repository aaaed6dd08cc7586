"""Downloads (/api/v1/exports/...): every file read back with GDAL's own ogrinfo, as a GIS user's
tool would; published data only; ACLED's rows left out; spreadsheet formulas neutralised."""

import datetime as dt
import json
import re
import subprocess
import time
import zipfile

import pytest
import redis
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.utils.http import parse_http_date
from shapely.geometry import shape

from conflictmap.atlas.models import Source, Theatre
from conflictmap.celery import app as celery_app
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.exports.stored import newest, store
from conflictmap.exports.tasks import WRITE_TASK, ask_for, pending_key
from conflictmap.imports.models import NameMapping
from tests.conftest import START, TEST_QUEUE, rect
from tests.test_import_acled import RECENT, run

OGRINFO = "/usr/bin/ogrinfo"
EXTENSIONS = {"geojson": "geojson", "csv": "csv", "kml": "kml", "gpkg": "gpkg"}
HOSTILE = ['=HYPERLINK("http://x")', "@SUM(1)", "+1+2", "-3", "\tTabbed", "<script>alert(1)</script>"]


def download(client, tmp_path, kind, **params):
    """The file, as a reader gets it (the full history as a worker writes it first)."""
    if kind == "history":
        store(Theatre.objects.get(slug="toyland"))
    response = client.get(f"/api/v1/exports/{kind}/", {"theatre": "toyland", **params})
    assert response.status_code == 200, response.content[:500]
    name = re.fullmatch(r'attachment; filename="(.+)"', response["Content-Disposition"]).group(1)
    path = tmp_path / name
    path.write_bytes(b"".join(response.streaming_content))
    return response, path


def ogrinfo(*args) -> str:
    done = subprocess.run([OGRINFO, "-ro", *map(str, args)], capture_output=True, text=True, check=True)
    return done.stdout


def summary(path) -> dict:
    """Per layer, as ogrinfo -so reports it: geometry type, feature count and field types."""
    layers: dict = {}
    for block in ogrinfo("-al", "-so", path).split("Layer name: ")[1:]:
        name, rest = block.split("\n", 1)
        fields = dict(re.findall(r"^(\w+): (\w+) \(", rest, re.M))
        layers[name] = {
            "geometry": re.search(r"^Geometry: (.+)$", rest, re.M).group(1),
            "count": int(re.search(r"^Feature Count: (\d+)$", rest, re.M).group(1)),
            "fields": fields,
        }
    return layers


def values(path, field, layer=None) -> list[str]:
    """Every value of `field` in the file (or one `layer` of it), as ogrinfo prints the features."""
    return re.findall(rf"^  {field} \(\w+\) = (.*)$", ogrinfo(path, layer) if layer else ogrinfo("-al", path), re.M)


def event(world, title, day=5, status=Status.PUBLISHED, **fields):
    fields.setdefault("location", Point(11, 11, srid=4326))
    created = Event.objects.create(theatre=world.theatre, date=dt.date(2020, 1, day), title=title, type="clash",
                                   status=status, **fields)  # fmt: skip
    created.sources.add(world.source)
    return created


@pytest.mark.parametrize("format", EXTENSIONS)
def test_the_control_layer_reads_back_with_gdal_in_every_format(client, world, tmp_path, format):
    response, path = download(client, tmp_path, "control", date="2020-01-05", format=format)
    assert path.name == f"toyland-control-2020-01-05.{EXTENSIONS[format]}"
    assert response["Content-Type"].split(";")[0] in (
        "application/geo+json", "text/csv", "application/vnd.google-earth.kml+xml", "application/geopackage+sqlite3",
    )  # fmt: skip
    (layer,) = summary(path).values()
    assert layer["count"] == 2
    assert {"faction", "valid_from", "change_ids", "sources"} <= set(layer["fields"])
    if format == "gpkg":
        assert layer["geometry"] == "Multi Polygon"
        assert layer["fields"]["valid_from"] == "Date" and layer["fields"]["area_km2"] == "Real"
    assert sorted(values(path, "faction")) == ["blue", "red"]
    # Each feature's geometry (KML has no multi-polygon of one part: LIBKML reads it as a polygon).
    assert len(re.findall(r"^  (MULTI)?POLYGON (Z )?\(\(", ogrinfo("-al", path), re.M)) == 2


def test_the_control_download_holds_the_control_apis_areas_for_that_date(client, world, tmp_path):
    world.change(dt.date(2020, 2, 1), world.green, rect(11, 10, 13, 12))
    world.build()
    _, path = download(client, tmp_path, "control", date="2020-02-03", format="geojson")
    exported = {f["properties"]["faction"]: f for f in json.loads(path.read_text())["features"]}
    layer = client.get("/api/v1/control/", {"theatre": "toyland", "date": "2020-02-03"}).json()
    api = {f["properties"]["faction"]: f for f in layer["features"]}
    assert set(exported) == set(api) == {"red", "blue", "green"}
    for faction, feature in api.items():
        mine = exported[faction]
        for key in ("area_km2", "gained_km2", "lost_km2", "name", "color", "valid_from", "valid_to"):
            assert mine["properties"][key] == feature["properties"][key], (faction, key)
        assert shape(mine["geometry"]).symmetric_difference(shape(feature["geometry"])).area < 1e-9


def test_each_controllers_area_names_the_changes_that_made_it_and_their_sources(client, world, tmp_path):
    world.change(dt.date(2020, 1, 10), world.red, rect(12, 10, 13, 11))  # taken back, then by green: not
    world.change(dt.date(2020, 1, 20), world.blue, rect(12, 10, 13, 11))  # what makes either area on 02-01
    green = world.change(dt.date(2020, 2, 1), world.green, rect(11, 10, 13, 12))
    world.build()
    _, path = download(client, tmp_path, "control", date="2020-02-01", format="geojson")
    by_faction = {f["properties"]["faction"]: f["properties"] for f in json.loads(path.read_text())["features"]}
    assert by_faction["green"]["change_ids"] == str(green.pk)
    assert json.loads(by_faction["green"]["sources"]) == [
        {"id": world.source.pk, "title": "Toyland Gazette", "publisher": "Toy Press", "url": "",
         "published_on": "2020-01-01"}
    ]  # fmt: skip
    baselines = {change.controller.slug: str(change.pk) for change in world.theatre.changes.filter(date=START)}
    assert by_faction["red"]["change_ids"] == baselines["red"] and by_faction["blue"]["change_ids"] == baselines["blue"]


def test_every_file_carries_the_attribution_readers_see(client, world, tmp_path):
    world.theatre.attribution = "Boundaries: Toy Atlas (CC BY 4.0)."
    world.theatre.save()
    _, geojson = download(client, tmp_path, "control", date="2020-01-05", format="geojson")
    assert "Toy Atlas (CC BY 4.0)" in json.loads(geojson.read_text())["attribution"]
    _, gpkg = download(client, tmp_path, "control", date="2020-01-05", format="gpkg")
    assert re.search(r"^  ATTRIBUTION=Data: conflictmap, Toyland, .*Toy Atlas", ogrinfo("-so", gpkg), re.M)
    for format in ("csv", "kml"):  # no metadata: a column
        _, path = download(client, tmp_path, "control", date="2020-01-05", format=format)
        credits = values(path, "attribution")
        assert len(credits) == 2 and all("Toy Atlas (CC BY 4.0)" in value for value in credits), format
    _, archive = download(client, tmp_path, "history", format="zip")
    assert "Toy Atlas (CC BY 4.0)" in zipfile.ZipFile(archive).read(f"{archive.stem}/README.txt").decode()


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client, world, tmp_path):
    for day, title in enumerate(HOSTILE, start=2):
        event(world, title, day=day)
    _, path = download(client, tmp_path, "events", **{"from": "2020-01-01", "to": "2020-02-01", "format": "csv"})
    titles = values(path, "title")
    assert titles == ['\'=HYPERLINK("http://x")', "'@SUM(1)", "'+1+2", "'-3", "'\tTabbed", "<script>alert(1)</script>"]
    assert not any(line.split(",")[0][:1] in "=+-@" for line in path.read_text().splitlines()[1:])


def test_kml_text_is_escaped_for_the_html_balloons_viewers_show(client, world, tmp_path):
    for day, title in enumerate(HOSTILE, start=2):
        event(world, title, day=day, description="<img src=x onerror=alert(1)>")
    _, path = download(client, tmp_path, "events", **{"from": "2020-01-01", "to": "2020-02-01", "format": "kml"})
    text = path.read_text()
    assert "<script>" not in text and "<img" not in text
    assert summary(path)["events"]["count"] == len(HOSTILE)
    names = values(path, "Name")  # LIBKML reads each placemark's name into Name
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in names and "=HYPERLINK(&quot;http://x&quot;)" in names


def test_events_read_back_with_gdal_in_every_format_with_ids_and_sources(client, world, tmp_path):
    first = event(world, "[1]", external_id="TOY-1")  # JSON-looking text stays text
    event(world, "Nowhere known", day=6, location=None)
    event(world, "After the range", day=20)
    for format in EXTENSIONS:
        _, path = download(client, tmp_path, "events", **{"from": "2020-01-01", "to": "2020-01-20", "format": format})
        assert path.name == f"toyland-events-2020-01-01-2020-01-20.{EXTENSIONS[format]}"
        (layer,) = summary(path).values()
        assert layer["count"] == 2, format
    geojson = json.loads((tmp_path / "toyland-events-2020-01-01-2020-01-20.geojson").read_text())
    located, unlocated = geojson["features"]
    assert located["properties"]["title"] == "[1]" and located["properties"]["id"] == first.pk
    assert located["properties"]["external_id"] == "TOY-1" and located["properties"]["date"] == "2020-01-05"
    assert json.loads(located["properties"]["sources"])[0]["title"] == "Toyland Gazette"
    assert located["geometry"] == {"type": "Point", "coordinates": [11.0, 11.0]} and unlocated["geometry"] is None


def test_drafts_and_retracted_items_never_leave(client, world, tmp_path):
    world.change(dt.date(2020, 1, 3), world.green, rect(10, 10, 11, 11), status=Status.DRAFT)
    world.build()
    event(world, "Draft", status=Status.DRAFT)
    event(world, "In review", status=Status.REVIEW)
    event(world, "Retracted", status=Status.RETRACTED)
    event(world, "Published")
    _, control = download(client, tmp_path, "control", date="2020-01-05", format="geojson")
    assert {f["properties"]["faction"] for f in json.loads(control.read_text())["features"]} == {"red", "blue"}
    _, events = download(client, tmp_path, "events", **{"from": "2020-01-01", "to": "2020-02-01"})
    assert [f["properties"]["title"] for f in json.loads(events.read_text())["features"]] == ["Published"]
    _, history = download(client, tmp_path, "history", format="gpkg")
    assert values(history, "title") == ["Published"]
    assert "green" not in values(history, "faction")


def test_events_from_acled_are_left_out_and_the_file_says_so(client, world, tmp_path):
    NameMapping.objects.create(dataset="acled", field="actor", value="Red Air Force", maps_to="red")
    run(tmp_path, RECENT, "--commit")
    Event.objects.filter(external_id__startswith="TOY").update(status=Status.PUBLISHED)
    cited = event(world, "Cites an ACLED page", day=6)
    cited.sources.add(Source.objects.create(title="ACLED dashboard", url="https://epo.acleddata.com/dashboard"))
    event(world, "Our own")
    _, path = download(client, tmp_path, "events", **{"from": "2020-01-01", "to": "2020-03-01"})
    body = json.loads(path.read_text())
    assert [f["properties"]["title"] for f in body["features"]] == ["Our own"]
    assert "3 published event(s) citing ACLED" in body["notes"][0]
    assert "https://epo.acleddata.com/terms-of-use-and-attribution-policy" in body["notes"][0]
    _, history = download(client, tmp_path, "history", format="gpkg")
    assert values(history, "title") == ["Our own"]
    assert "citing ACLED" in ogrinfo("-so", history)


def test_the_history_holds_every_change_interval_holding_and_event(client, world, tmp_path):
    world.change(dt.date(2020, 2, 1), world.green, rect(11, 10, 13, 12), confidence="claimed")
    world.build()
    event(world, "Published")
    _, path = download(client, tmp_path, "history")
    assert path.suffix == ".gpkg"
    layers = summary(path)
    assert {name: (layer["geometry"], layer["count"]) for name, layer in layers.items()} == {
        "changes": ("Multi Polygon", 3),
        "intervals": ("None", 2 + 3),  # [start, 02-01) red and blue; [02-01, …) red, blue, green
        "holdings": ("Multi Polygon", 5),  # red and blue before; red, blue (both lost ground) and green after
        "events": ("Point", 1),
    }
    assert values(path, "valid_to")[:2] == ["2020/02/01", "2020/02/01"]
    assert values(path, "confidence", "changes") == ["confirmed", "confirmed", "claimed"]
    pointed_at = values(path, "holding_id", "intervals")
    assert len(pointed_at) == 5 and set(pointed_at) == set(values(path, "holding_id", "holdings"))


def test_the_history_zip_has_a_csv_per_table_and_a_readme(client, world, tmp_path):
    event(world, "=cmd|' /C calc'!A0")
    response, path = download(client, tmp_path, "history", format="zip")
    assert response["Content-Type"] == "application/zip"
    names = sorted(zipfile.ZipFile(path).namelist())
    stem = path.stem
    assert names == sorted(f"{stem}/{name}" for name in
                           ["README.txt", "changes.csv", "intervals.csv", "holdings.csv", "events.csv"])  # fmt: skip
    counts = {name: layer["count"] for name, layer in summary(f"/vsizip/{path}/{stem}").items()}
    assert counts == {"changes": 2, "intervals": 2, "holdings": 2, "events": 1}
    assert values(f"/vsizip/{path}/{stem}/events.csv", "title") == ["'=cmd|' /C calc'!A0"]


def test_before_a_worker_has_written_the_history_a_download_asks_for_it_and_says_when_to_come_back(
    client, world, django_capture_on_commit_callbacks
):
    cache.delete(pending_key(world.theatre.pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/v1/exports/history/", {"theatre": "toyland"})
    assert response.status_code == 202 and response["Retry-After"] == "60"
    assert "being written" in response.json()["message"]
    assert cache.get(pending_key(world.theatre.pk)), "a worker was asked to write it"
    celery_app.control.purge()  # the task enqueued for no worker: this test's theatre is rolled back


def test_a_file_behind_the_data_is_served_with_its_date_and_a_new_one_asked_for(
    client, world, tmp_path, django_capture_on_commit_callbacks
):
    _, path = download(client, tmp_path, "history", format="gpkg")
    first = newest(world.theatre, "gpkg")
    assert summary(path)["events"]["count"] == 0
    event(world, "Published later")
    cache.delete(pending_key(world.theatre.pk))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get("/api/v1/exports/history/", {"theatre": "toyland"})
    assert response.status_code == 200
    assert parse_http_date(response["Last-Modified"]) == int(first.written_at.timestamp())
    assert cache.get(pending_key(world.theatre.pk)), "a worker was asked for a new file"
    celery_app.control.purge()
    time.sleep(1)  # the next file's name is a second later
    _, path = download(client, tmp_path, "history", format="gpkg")  # written again, as by the worker
    assert summary(path)["events"]["count"] == 1
    assert not first.path.exists(), "the older file is removed once the new one is in place"


def test_published_layers_ask_a_worker_for_the_history_files_a_few_minutes_later(
    world, settings, django_capture_on_commit_callbacks
):
    """An editing session's builds share one write: the task waits in the broker (real Redis)."""
    settings.HISTORY_EXPORT_DELAY_SECONDS = 300
    cache.delete(pending_key(world.theatre.pk))
    celery_app.control.purge()
    with django_capture_on_commit_callbacks(execute=True):
        for day in (2, 3):  # two edits, two builds published
            world.change(dt.date(2020, 2, day), world.green, rect(11, 10, 11.5 + day / 10, 12))
            world.build()
    with django_capture_on_commit_callbacks(execute=True):
        ask_for(world.theatre.pk)  # a download finding its file behind: now, not in 5 minutes
    queued = [json.loads(message) for message in redis.Redis.from_url(settings.BROKER_URL).lrange(TEST_QUEUE, 0, -1)]
    celery_app.control.purge()
    writes = [message["headers"]["eta"] for message in queued if message["headers"]["task"] == WRITE_TASK]
    assert len(writes) == 2, "one for the two builds, one for the sooner ask"
    eta = [dt.datetime.fromisoformat(eta) - dt.datetime.now(dt.UTC) for eta in writes if eta]
    assert len(eta) == 1 and 290 < eta[0].total_seconds() <= 300


@pytest.mark.parametrize(
    ("kind", "params", "status", "message"),
    [
        ("control", {"date": "2020-01-05", "format": "xls"}, 400, "Unknown format 'xls': use one of geojson, csv"),
        ("control", {"date": "2020-13-01"}, 400, "date"),
        ("control", {"date": "2019-12-31"}, 404, "before 2020-01-01"),
        ("control", {"date": "2020-01-05", "theatre": "atlantis"}, 404, "Unknown theatre 'atlantis'"),
        ("events", {"from": "2020-01-05", "to": "2020-01-05"}, 400, "Must be after `from`"),
        ("events", {"from": "yesterday", "to": "2020-01-05"}, 400, "from"),
        ("events", {"to": "2020-01-05"}, 400, "from"),
        ("history", {"format": "geojson"}, 400, "use one of gpkg, zip"),
        ("history", {"theatre": "atlantis"}, 404, "Unknown theatre"),
    ],
)
def test_bad_parameters_get_a_clear_json_error(client, world, kind, params, status, message):
    response = client.get(f"/api/v1/exports/{kind}/", {"theatre": "toyland", **params})
    assert response.status_code == status
    assert message in response.json()["error"]


def test_a_theatre_without_a_build_has_nothing_to_download(client, world):
    world.theatre.builds.all().delete()
    response = client.get("/api/v1/exports/control/", {"theatre": "toyland", "date": "2020-01-05"})
    assert response.status_code == 404 and "No published control layer" in response.json()["error"]
    assert client.get("/api/v1/exports/history/", {"theatre": "toyland"}).status_code == 404


@pytest.mark.parametrize(("kind", "params"), [
    ("control", {"date": "2020-01-05"}),
    ("events", {"from": "2020-01-01", "to": "2020-02-01"}),
    ("history", {}),
])  # fmt: skip
def test_each_file_is_the_media_type_the_schema_documents(client, world, kind, params):
    """What the schema test cannot reach (it never guesses a theatre that exists)."""
    store(world.theatre)  # the history's files, as a worker writes them
    documented = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()["paths"]
    operation = documented[f"/api/v1/exports/{kind}/"]["get"]
    formats = next(p for p in operation["parameters"] if p["name"] == "format")["schema"]["enum"]
    for format in formats:
        response = client.get(f"/api/v1/exports/{kind}/", {"theatre": "toyland", **params, "format": format})
        assert response["Content-Type"].split(";")[0] in operation["responses"]["200"]["content"], format


@pytest.mark.parametrize(("kind", "params"), [
    ("control", {"date": "9999-12-31"}),
    ("events", {"from": "0001-01-01", "to": "9999-12-31"}),
])  # fmt: skip
def test_the_widest_dates_get_a_file(client, world, tmp_path, kind, params):
    event(world, "Published")
    _, path = download(client, tmp_path, kind, **params, format="gpkg")
    (layer,) = summary(path).values()
    assert layer["count"] == (2 if kind == "control" else 1)


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_a_download_reads_one_snapshot_of_the_database(client, world, tmp_path):
    """As in production (tests otherwise run inside a transaction): REPEATABLE READ, then committed."""
    event(world, "Published")
    _, path = download(client, tmp_path, "history", format="gpkg")
    assert summary(path)["events"]["count"] == 1


def test_geojson_and_kml_of_more_events_than_the_limit_are_refused_with_the_formats_that_take_them(
    client, world, tmp_path, settings
):
    settings.EXPORT_MAX_FEATURES = 1
    event(world, "One")
    event(world, "Two", day=6)
    range_ = {"from": "2020-01-01", "to": "2020-02-01"}
    for format in ("geojson", "kml"):
        response = client.get("/api/v1/exports/events/", {"theatre": "toyland", **range_, "format": format})
        assert response.status_code == 400
        assert "holds 2 features, more than" in response.json()["error"] and "csv, gpkg" in response.json()["error"]
    _, path = download(client, tmp_path, "events", **range_, format="csv")
    assert summary(path)[path.stem]["count"] == 2
