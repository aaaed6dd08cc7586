"""Embeds (conflictmap/embeds/): saved map views, the embed page, oEmbed, which pages may be
framed, and cross-origin reads of the public API."""

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.exceptions import ValidationError
from django.urls import URLPattern, URLResolver, get_resolver

from conflictmap.embeds.models import MapView
from tests.conftest import rect

ARTICLE = "https://news.example.org"


@pytest.fixture
def saved(world):
    view = MapView.objects.create(slug="ford", title="Who holds the ford", caption="Green took it in February.",
                                  credit="Graphics desk", theatre=world.theatre, date=dt.date(2020, 2, 1),
                                  latitude=11.5, longitude=11.0, zoom=8, event_types=["clash", "shelling"])  # fmt: skip
    view.factions.set([world.green, world.red])
    return view


def test_the_embed_page_shows_the_saved_view_sets_no_cookie_and_names_its_oembed(client, saved):
    response = client.get("/embed/ford/")
    page = response.content.decode()
    assert response.status_code == 200 and not response.cookies
    assert "Who holds the ford" in page and "Green took it in February." in page and "Graphics desk" in page
    state = parse_qs(html.unescape(re.search(r'data-state="([^"]*)"', page).group(1)))
    assert state == {"date": ["2020-02-01"], "view": ["8/11.5000/11.0000"], "factions": ["green,red"],
                     "types": ["clash,shelling"]}  # fmt: skip
    full_map = html.unescape(re.search(r'id="full-map" href="([^"]+)"', page).group(1))
    assert "theatre" not in parse_qs(urlsplit(full_map).query) and urlsplit(full_map).path == "/t/toyland/"
    discovery = html.unescape(re.search(r'type="application/json\+oembed" href="([^"]+)"', page).group(1))
    assert parse_qs(urlsplit(discovery).query)["url"] == ["http://testserver/embed/ford/"]
    assert client.get("/embed/nowhere/").status_code == 404


def test_an_ad_hoc_embed_takes_the_full_maps_state(client, world):
    page = client.get("/embed/", {"theatre": "toyland", "date": "2020-01-05", "factions": "red"}).content.decode()
    assert parse_qs(html.unescape(re.search(r'data-state="([^"]*)"', page).group(1))) == {
        "date": ["2020-01-05"], "factions": ["red"]}  # fmt: skip
    assert client.get("/embed/", {"theatre": "atlantis"}).status_code == 404


@pytest.mark.parametrize(
    ("fields", "complaint"),
    [
        ({"range_from": dt.date(2020, 3, 1)}, "both of its dates"),
        ({"range_from": dt.date(2020, 3, 1), "range_to": dt.date(2020, 2, 1)}, "end after it starts"),
        ({"range_from": dt.date(2020, 3, 1), "range_to": dt.date(2020, 4, 1)}, "within the slider"),
        ({"zoom": None}, "or none of them"),
        ({"date": dt.date(1999, 1, 1)}, "record starts"),
    ],
)
def test_a_view_that_cannot_be_shown_is_refused_with_a_reason(saved, fields, complaint):
    for name, value in fields.items():
        setattr(saved, name, value)
    with pytest.raises(ValidationError, match=complaint):
        saved.full_clean()


def oembed(client, **query):
    return client.get("/oembed/", query)


def test_oembed_answers_a_rich_iframe_sized_within_the_consumers_limits(client, saved):
    answer = oembed(client, url="http://testserver/embed/ford/", maxwidth=400, maxheight=600, format="json")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/json")
    data = answer.json()
    assert {k: data[k] for k in ("version", "type", "title", "provider_name")} == {
        "version": "1.0", "type": "rich", "title": "Who holds the ford", "provider_name": "conflictmap"}  # fmt: skip
    assert data["width"] <= 400 and data["height"] <= 600 and data["width"] >= 300
    iframe = re.fullmatch(r'<iframe src="([^"]+)" width="(\d+)" height="(\d+)" title="[^"]+"[^>]*></iframe>',
                          data["html"])  # fmt: skip
    assert iframe.group(1) == "http://testserver/embed/ford/"
    assert (int(iframe.group(2)), int(iframe.group(3))) == (data["width"], data["height"])
    unlimited = oembed(client, url="http://testserver/embed/ford/").json()
    assert unlimited["width"] / unlimited["height"] == pytest.approx(data["width"] / data["height"], rel=0.01)
    # The thumbnail is the view's card, given only where the limits allow its 1200×630.
    assert "thumbnail_url" not in data
    assert (unlimited["thumbnail_width"], unlimited["thumbnail_height"]) == (1200, 630)
    card = client.get(unlimited["thumbnail_url"])
    assert card.status_code == 200 and card["Content-Type"] == "image/png"
    assert parse_qs(urlsplit(unlimited["thumbnail_url"]).query)["date"] == ["2020-02-01"]


def test_oembed_makes_an_ad_hoc_embed_of_the_full_maps_address(client, world):
    data = oembed(client, url="http://testserver/?date=2020-01-05&view=7/11.5/12").json()
    src = html.unescape(re.search(r'src="([^"]+)"', data["html"]).group(1))
    assert urlsplit(src).path == "/embed/" and parse_qs(urlsplit(src).query) == {
        "theatre": ["toyland"], "date": ["2020-01-05"], "view": ["7/11.5/12"]}  # fmt: skip
    assert data["title"] == "Toyland"


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"url": "https://elsewhere.example/embed/ford/"}, 404),  # not ours
        ({"url": "http://testserver/changes/"}, 404),  # ours, but no map
        ({"url": "http://testserver/embed/nowhere/"}, 404),
        ({"url": "http://testserver/embed/ford/", "format": "xml"}, 501),
        ({"url": "not a url"}, 400),
        ({}, 400),
        ({"url": "http://testserver/embed/ford/", "maxwidth": "wide"}, 400),
        ({"url": "http://testserver/embed/ford/", "maxwidth": "0"}, 400),
    ],
)
def test_oembed_refuses_what_the_specification_says_to(client, saved, query, status):
    response = oembed(client, **query)
    assert response.status_code == status and response.json()["error"]


def concrete_paths(patterns=None, prefix=""):
    """Every route of the URL table but the admin's, as (name, path with sample values)."""
    samples = {"slug": "ford", "id": "1", "theatre": "toyland", "date": "2020-01-05", "z": "8", "x": "136", "y": "120"}
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if route.startswith("admin/"):
            continue
        if isinstance(pattern, URLResolver):
            yield from concrete_paths(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield pattern.name, "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: samples[m.group(1)], route)


FRAMEABLE = {"embed", "embed-adhoc"}


def test_only_embed_pages_may_be_framed_every_other_page_and_the_admin_refuse(client, saved, settings):
    settings.EMBED_FRAME_ANCESTORS = [ARTICLE]
    paths = dict(concrete_paths())
    assert set(paths) >= FRAMEABLE and len(paths) > 15  # the walk found the routes
    for name, path in [*paths.items(), ("admin", "/admin/"), ("admin-login", "/admin/login/")]:
        response = client.get(path, {"theatre": "toyland", "date": "2020-01-05"} if "?" not in path else {})
        policy = response.get("Content-Security-Policy", "")
        if name in FRAMEABLE:
            assert response.status_code == 200 and "X-Frame-Options" not in response, path
            assert f"frame-ancestors {ARTICLE}" in policy, path
        else:
            assert response.get("X-Frame-Options") == "DENY", path
            assert not policy or "frame-ancestors 'none'" in policy, path


def test_the_public_api_and_oembed_answer_cross_origin_reads_the_admin_does_not(client, saved):
    for path in ["/api/v1/theatres/", "/api/v1/control/?theatre=toyland&date=2020-01-05",
                 "/oembed/?url=http://testserver/embed/ford/"]:  # fmt: skip
        response = client.get(path, headers={"Origin": ARTICLE})
        assert response["Access-Control-Allow-Origin"] == "*" and "Access-Control-Allow-Credentials" not in response
    for path in ["/admin/login/", "/embed/ford/", "/"]:
        assert "Access-Control-Allow-Origin" not in client.get(path, headers={"Origin": ARTICLE})


def test_the_admin_previews_the_view_and_gives_the_codes_to_paste(admin_client, saved, settings):
    settings.PUBLIC_URL = "https://maps.example.org"
    page = html.unescape(admin_client.get(f"/admin/embeds/mapview/{saved.pk}/change/").content.decode())
    assert '<iframe src="/embed/ford/"' in page
    assert '<iframe src="https://maps.example.org/embed/ford/" title="Who holds the ford" data-conflictmap-' in page
    assert re.search(r'<script src="https://maps.example.org/static/frontend/js/embed-resize[.\w]*js" async>', page)


def meta(page: str, name: str) -> str:
    return html.unescape(re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', page).group(1))


@pytest.mark.parametrize(
    "path", ["/embed/ford/", "/t/toyland/?date=2020-01-05", "/embed/?theatre=toyland&date=2020-01-05"]
)
def test_map_and_embed_pages_carry_a_social_image_of_their_view(client, saved, path):
    page = client.get(path).content.decode()
    image = meta(page, "og:image")
    assert meta(page, "twitter:image") == image and meta(page, "twitter:card") == "summary_large_image"
    assert (meta(page, "og:image:width"), meta(page, "og:image:height")) == ("1200", "630")
    query = parse_qs(urlsplit(image).query)
    assert urlsplit(image).path == "/api/v1/card.png" and query["theatre"] == ["toyland"]
    expected_date = "2020-02-01" if path == "/embed/ford/" else "2020-01-05"
    assert query["date"] == [expected_date] and meta(page, "og:title") in query["title"]
    card = client.get(image)
    assert card.status_code == 200 and card["Content-Type"] == "image/png" and card.content[:4] == b"\x89PNG"
    assert f'<noscript><img class="noscript-card" src="{html.escape(image)}"' in page  # for readers without scripts


def test_a_published_build_draws_the_cards_of_the_views_that_follow_it(
    saved, world, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from conflictmap.cards.images import Card, build_id_of
    from conflictmap.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the task runs here, not in a worker
    saved.build = None
    saved.date = None  # follows the latest layers
    saved.save()
    with django_capture_on_commit_callbacks(execute=True):
        world.change(dt.date(2020, 3, 1), world.blue, rect(10, 10, 11, 11))
        world.build()
    card = Card(world.theatre, dt.date(2020, 3, 1), saved.title, ("green", "red"), None, "en")
    assert cache.get(card.key(build_id_of(world.theatre)))
