"""Static files as readers get them (conflictmap/http/static.py): our scripts minified from their
sources, everything else as it is."""

import urllib.request
from pathlib import Path

import rjsmin
from django.conf import settings

SCRIPTS = Path(settings.BASE_DIR) / "frontend" / "js"


def served(client, path: str) -> bytes:
    response = client.get(path)
    assert response.status_code == 200, path
    return b"".join(response.streaming_content)


def test_every_script_of_ours_is_served_minified_from_its_source(client):
    sources = sorted(SCRIPTS.glob("*.js"))
    assert len(sources) > 30
    for source in sources:
        minified = rjsmin.jsmin(source.read_text(encoding="utf-8")).encode("utf-8")
        assert served(client, f"/static/frontend/js/{source.name}") == minified, source.name
        assert len(minified) < 0.8 * source.stat().st_size, source.name  # comments and spaces out


def test_other_static_files_are_served_as_they_are(client):
    stylesheet = Path(settings.BASE_DIR) / "frontend" / "css" / "map.css"
    assert served(client, "/static/frontend/css/map.css") == stylesheet.read_bytes()


def test_the_browser_tests_server_serves_them_as_collected(live_server):
    source = SCRIPTS / "map-page.js"
    with urllib.request.urlopen(f"{live_server.url}/static/frontend/js/map-page.js") as response:
        assert response.read() == rjsmin.jsmin(source.read_text(encoding="utf-8")).encode("utf-8")
