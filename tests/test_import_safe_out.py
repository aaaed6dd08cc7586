"""What comes in safe goes out safe: text an import brought in (titles, places, descriptions,
sources written as spreadsheet formulas, HTML or script) is stored as data and leaves as data:
neutralised in CSV downloads, escaped in KML, sanitised in the API's HTML, escaped in the admin."""

import csv
import json

import pytest

from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from tests.test_exports import download, values
from tests.test_import import feature, point, run, with_feature
from tests.test_import_admin import editor_client

# As a partner's file might carry them: each starts as a spreadsheet formula would, or is markup.
FORMULAS = ['=HYPERLINK("http://x","y")', "+1+2", "-2+3", "@SUM(A1)", "\tTabbed", "\rReturned"]
SCRIPT = "<script>alert(1)</script>"
IMAGE = '<img src=x onerror="alert(2)">'


@pytest.fixture
def imported(tmp_path, world):
    """Published events imported from a file of hostile text, one per formula and one of markup."""
    titles = [*FORMULAS, SCRIPT]
    document = with_feature(*[
        feature(point(11, 11), id=f"hostile-{n}", date=f"2020-01-{n + 2:02d}", title=title, type="clash",
                place_name=FORMULAS[n % len(FORMULAS)], description=f"{IMAGE} {SCRIPT} [x](javascript:alert(3))",
                source_url="https://example.org/a", source_title=SCRIPT)
        for n, title in enumerate(titles)
    ])  # fmt: skip
    run(tmp_path, document, "--commit")
    Event.objects.filter(external_id__startswith="hostile-").update(status=Status.PUBLISHED)
    return titles


def test_csv_downloads_neutralise_imported_formulas(client, world, tmp_path, imported):
    _, path = download(client, tmp_path, "events", **{"from": "2020-01-01", "to": "2020-02-01", "format": "csv"})
    with path.open(newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))  # as a spreadsheet reads it: a CR inside a cell stays in it
    assert sorted(row["title"] for row in rows) == sorted(["'" + title for title in FORMULAS] + [SCRIPT])
    assert all(row["place"].startswith("'") for row in rows)
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for row in rows for cell in row.values() if cell)


def test_kml_downloads_escape_imported_markup(client, world, tmp_path, imported):
    _, path = download(client, tmp_path, "events", **{"from": "2020-01-01", "to": "2020-02-01", "format": "kml"})
    text = path.read_text()
    assert "<script>" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in values(path, "Name")


def test_the_api_serves_imported_descriptions_sanitised_and_titles_as_text(client, world, imported):
    event = Event.objects.get(external_id="hostile-6")
    body = json.loads(client.get(f"/api/v1/events/{event.pk}/").content)
    properties = body.get("properties", body)
    assert properties["title"] == SCRIPT  # data, for the page to set as text
    html = properties["description_html"]
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html


def test_the_admin_shows_imported_text_escaped(client, world, django_user_model, imported):
    editor = editor_client(client, django_user_model)
    page = editor.get("/admin/events/event/").content.decode()
    assert SCRIPT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
