"""Embeds as a newsroom uses them, in Chromium: an article page on another origin (its own
server and port) frames the map; the height helper sizes the iframe; the admin refuses to be
framed; the share control's code, pasted into the article, works."""

import datetime as dt
import functools
import http.server
import threading
from urllib.parse import parse_qs, quote, unquote, urlsplit

import pytest

from conflictmap.atlas.models import Faction
from conflictmap.embeds.models import MapView
from conflictmap.territory.serve.citable import pin_current
from tests.chromium import open_map, wait_for_the_server


class ArticleServer(http.server.SimpleHTTPRequestHandler):
    """Serves the article's directory; /go?to=URL redirects there (a frame whose address is the
    article's origin but whose page is another's)."""

    def do_GET(self):
        if self.path.startswith("/go?to="):
            self.send_response(302)
            self.send_header("Location", unquote(self.path.removeprefix("/go?to=")))
            self.end_headers()
            return
        super().do_GET()


@pytest.fixture
def article(tmp_path):
    """A web server on another origin (127.0.0.1, another port) serving `write(html)`'s page."""
    handler = functools.partial(ArticleServer, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def write(body: str) -> str:
        (tmp_path / "article.html").write_text(f"<!doctype html><html><body><h1>Article</h1>{body}</body></html>")
        return f"http://127.0.0.1:{server.server_port}/article.html"

    yield write
    server.shutdown()


@pytest.fixture
def reader(browser, live_server):
    """A page that may reach the site and the article, nothing else (offline, as in chromium.py),
    collecting what Chromium says about framing refusals."""
    context = browser.new_context(viewport={"width": 1000, "height": 900})
    page = context.new_page()
    site = urlsplit(live_server.url).netloc

    def offline(route):
        where = urlsplit(route.request.url)
        route.continue_() if where.netloc == site or where.hostname == "127.0.0.1" else route.abort(
            "internetdisconnected"
        )

    page.route("**/*", offline)
    page.console = []
    page.on("console", lambda message: page.console.append(message.text))
    yield page
    context.close()
    wait_for_the_server()


def frame_of(page, selector="iframe"):
    page.wait_for_selector(selector)
    return page.frame_locator(selector)


def test_a_saved_view_renders_in_an_articles_iframe_and_the_helper_sizes_it(reader, live_server, demo, article):
    view = MapView.objects.create(slug="manbij", title="Manbij, end of December", theatre=demo, credit="Graphics desk",
                                  date=dt.date(2018, 12, 30), build=pin_current(demo.pk))  # fmt: skip
    view.factions.set(Faction.objects.filter(slug__in=["pro-government", "sdf"]))
    asked = []
    reader.on("request", lambda request: "/api/v1/" in request.url and asked.append(request.url))
    reader.goto(article(
        f'<iframe id="map" src="{live_server.url}/embed/manbij/" data-conflictmap-resize '
        f'style="width:640px;height:300px;border:0"></iframe>'
        f'<script src="{live_server.url}/static/frontend/js/embed-resize.js"></script>'
    ))  # fmt: skip
    frame = frame_of(reader, "#map")
    frame.locator("#legend tr").first.wait_for(timeout=15_000)
    rows = frame.locator("#legend tr").evaluate_all("rows => rows.map(r => r.dataset.faction)")
    assert set(rows) == {"pro-government", "sdf"}  # only the view's factions have rows
    assert frame.locator("#date-label").inner_text() == "30 December 2018"
    assert frame.locator("#timeline").is_hidden()  # one date: no slider
    assert "Graphics desk" in frame.locator(".embed-foot").inner_text()
    # The embed asked for a landscape map at 640 px wide; the article's helper gave it the height.
    reader.wait_for_function("() => document.getElementById('map').offsetHeight > 400")
    assert reader.evaluate("document.getElementById('map').offsetHeight") < 900
    # As published: every layer request names the cited build.
    layer_requests = [url for url in asked if "/control/" in url or "/timeline/" in url]
    assert layer_requests and all(f"build={view.build.version}" in url for url in layer_requests)
    assert len(layer_requests) == len(set(layer_requests)) == 2, "the page's preloads are the script's requests"
    assert f"build {view.build.version}" in frame.locator(".citation").inner_text()
    full_map = frame.locator("#full-map").get_attribute("href")
    assert "date=2018-12-30" in full_map and "factions=pro-government%2Csdf" in full_map.replace(",", "%2C")


def test_an_embed_of_the_latest_date_preloads_its_first_answers_and_its_list_waits_to_be_opened(
    reader, live_server, demo
):
    asked = []
    reader.on("request", lambda request: "/api/v1/" in request.url and asked.append(urlsplit(request.url)))
    reader.goto(f"{live_server.url}/embed/?theatre=syria")
    reader.wait_for_function("() => document.getElementById('map').dataset.markersDate")
    shown = reader.get_attribute("#map", "data-shown")  # the last change when the page was sent
    timeline = [url for url in asked if url.path == "/api/v1/timeline/"]
    control = [url for url in asked if url.path == "/api/v1/control/"]
    assert len(timeline) == 1 and len(control) == len(set(control)), "each answer asked for once: preloads used"
    preloaded = reader.eval_on_selector_all("link[rel=preload]", "links => links.map(link => link.href)")
    assert sorted(preloaded) == sorted(url.geturl() for url in timeline + control[:1])  # the first paint's
    assert f"from={shown}&to={shown}" in timeline[0].query, "only the dates it shows"
    assert f"date={shown}" in control[0].query and "detail=small" in control[0].query
    assert [url for url in asked if url.path == "/api/v1/events/"] == []
    reader.click(".embed-events summary")
    reader.locator("#event-list li").first.wait_for(timeout=10_000)
    assert len([url for url in asked if url.path == "/api/v1/events/"]) == 1


@pytest.mark.parametrize(("size", "levels"), [((640, 450), ["small"]), ((1400, 1000), ["small", "overview"])])
def test_an_embed_paints_the_small_country_view_first_and_the_overview_only_in_a_large_frame(
    browser, live_server, demo, size, levels
):
    page = browser.new_page(viewport=dict(zip(("width", "height"), size, strict=True)))
    asked = []
    page.on("request", lambda request: urlsplit(request.url).path == "/api/v1/control/" and asked.append(request.url))
    page.goto(f"{live_server.url}/embed/?theatre=syria&date=2018-12-30")
    page.wait_for_function(f"() => document.getElementById('map').dataset.level === '{levels[-1]}'")
    page.wait_for_load_state("networkidle")
    assert [parse_qs(urlsplit(url).query)["detail"][0] for url in asked] == levels
    assert page.locator("#legend tr").count() > 1
    page.close()
    wait_for_the_server()


def test_the_admin_refuses_to_be_framed(reader, live_server, demo, article):
    reader.goto(article(f'<iframe id="admin" src="{live_server.url}/admin/login/"></iframe>'))
    reader.wait_for_timeout(1500)
    child = reader.frames[1]
    assert child.query_selector("#id_username") is None
    assert any("frame" in text and "'none'" in text or "X-Frame-Options" in text for text in reader.console)


def test_the_share_controls_code_pasted_into_an_article_shows_that_view(page, reader, live_server, demo, article):
    open_map(page, live_server, "?date=2019-01-10")
    page.click("#share")
    page.wait_for_function("() => document.getElementById('share-responsive').value.startsWith('<iframe')")
    assert page.input_value("#share-link").startswith(f"{live_server.url}/t/syria/?date=2019-01-10")
    image = page.get_attribute("#share-image", "href")
    assert image.startswith("/api/v1/card.png?") and "date=2019-01-10" in image and "theatre=syria" in image
    png = page.request.get(f"{live_server.url}{image}")
    assert png.status == 200 and png.headers["content-type"] == "image/png"
    for link in page.locator("#share-downloads a").all():  # the data of this view, as files
        download = page.request.get(f"{live_server.url}{link.get_attribute('href')}")
        assert download.status == 200 and "attachment" in download.headers["content-disposition"], link.inner_text()
    control_csv = page.get_attribute("#share-downloads a[data-kind=control][data-format=csv]", "href")
    assert "date=2019-01-10" in control_csv
    code = page.input_value("#share-responsive")
    assert "data-conflictmap-resize" in code and "embed-resize" in code
    reader.goto(article(code))
    frame = frame_of(reader)
    frame.locator("#legend tr").first.wait_for(timeout=15_000)
    assert frame.locator("#date-label").inner_text() == "10 January 2019"
    reader.wait_for_function("() => document.querySelector('iframe').offsetHeight !== 500")  # the helper ran


def test_the_helper_takes_heights_only_from_its_frames_own_origin(reader, live_server, demo, article):
    embed = f"{live_server.url}/embed/?theatre=syria&date=2018-12-30"
    page = article(
        f'<iframe id="direct" src="{embed}" data-conflictmap-resize style="width:600px;height:200px;border:0"></iframe>'
        # Its address is the article's origin; the page in it, redirected, is another origin's.
        f'<iframe id="redirected" src="/go?to={quote(embed)}" data-conflictmap-resize '
        'style="width:600px;height:200px;border:0"></iframe>'
        f'<script src="{live_server.url}/static/frontend/js/embed-resize.js"></script>'
    )
    reader.goto(page)
    frame_of(reader, "#redirected").locator("#legend tr").first.wait_for(timeout=15_000)
    reader.wait_for_function("() => document.getElementById('direct').offsetHeight > 300")
    reader.wait_for_timeout(500)
    assert reader.evaluate("document.getElementById('redirected').offsetHeight") == 200
