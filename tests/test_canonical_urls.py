"""Sources are stored at their canonical address: no tracking parameters, whoever saves them, and
the demo's fixtures cite none."""

import json
import re
from pathlib import Path

import pytest

from conflictmap.atlas.models import Source
from conflictmap.lib.urls import canonical_url

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "demo"


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("https://example.org/a?utm_source=feedburner&utm_medium=feed", "https://example.org/a"),
        ("https://www.reuters.com/article/x-idUSKCN1OR0ZO?feedType=RSS&feedName=worldNews", "https://www.reuters.com/article/x-idUSKCN1OR0ZO"),
        ("https://example.org/story?id=7&fbclid=abc&ref=112", "https://example.org/story?id=7"),
        ("https://example.org/print.aspx?articleno=39767", "https://example.org/print.aspx?articleno=39767"),
        ("https://example.org/a%2Fb?q=a+b#part", "https://example.org/a%2Fb?q=a+b#part"),  # untouched: its own spelling
        ("", ""),
    ],
)  # fmt: skip
def test_tracking_parameters_are_dropped_and_nothing_else_is_changed(given, stored):
    assert canonical_url(given) == stored


def test_a_source_is_saved_at_its_canonical_address(db):
    source = Source.objects.create(title="A report", url="https://example.org/r?utm_campaign=x&page=2")
    source.refresh_from_db()
    assert source.url == "https://example.org/r?page=2"


def test_the_demo_cites_canonical_addresses_on_the_outlets_own_domains():
    for name in ("events.json", "control.geojson"):
        urls = re.findall(r'"url": ?"([^"]+)"', (FIXTURES / name).read_text())
        assert urls, name
        for url in urls:
            assert canonical_url(url) == url, url
            assert "cdn." not in url and "arcpublishing" not in url, url
    assert json.loads((FIXTURES / "events.json").read_text())
