"""Fixtures and helpers for the tests in a real Chromium (Debian's), driven by Playwright, with
no internet access: every request that is not to the test server is aborted, as tiles would be
in an offline newsroom, and any breach of the pages' Content-Security-Policy fails the test.
Loaded for every test module by tests/conftest.py (pytest_plugins)."""

import os
import threading
import time
from urllib.parse import urlsplit

import pytest

from conflictmap.demo.loader import load_demo
from conflictmap.territory.build.rebuild import rebuild

CHROMIUM = "/usr/bin/chromium"
# A point about 20 km west of Manbij, 5 km inside the belt government forces took over on
# 2018-12-28 in the demo data (its largest inscribed circle).
BELT = (36.513, 37.746)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are ordinary blocking ones, so Django's async guard does not apply here.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield browser
        browser.close()


@pytest.fixture
def demo(transactional_db):
    theatre = load_demo()
    rebuild(theatre.pk)
    return theatre


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    local = urlsplit(live_server.url).netloc
    blocked = []

    def offline(route):
        if urlsplit(route.request.url).netloc == local:
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort("internetdisconnected")

    page.route("**/*", offline)
    errors, violations = [], []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # Chromium reports every Content-Security-Policy refusal on the console: any one fails the test.
    page.on("console", lambda message: "Content Security Policy" in message.text and violations.append(message.text))
    page.blocked, page.errors = blocked, errors
    yield page
    context.close()
    wait_for_the_server()
    assert not violations, f"the page broke its Content-Security-Policy: {violations}"


def wait_for_the_server(timeout_s: float = 30) -> None:
    """Let the live server finish every request before the test's database is emptied: a GET
    may store what it made (a date's payload, a tile's front lines), and a write still running
    deadlocks with the TRUNCATE of the test's teardown. The browser's own view is not enough (a
    request it gave up, a tile panned away or a page navigated from, still runs on the server),
    so this waits for the server's request threads themselves, which end once the closed
    browser's connections do."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and any(
        thread.name.endswith("(process_request_thread)") for thread in threading.enumerate()
    ):
        time.sleep(0.05)


def log_in_to_the_admin(page, live_server, django_user_model, then: str):
    django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    page.goto(f"{live_server.url}/admin/login/?next={then}")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")


def open_map(page, live_server, query=""):
    page.goto(f"{live_server.url}/{query}")
    page.wait_for_selector("#legend tr", timeout=15_000)


def near(colour, expected):
    """Canvas pixels come back un-premultiplied from a translucent fill: allow a little rounding."""
    return colour is not None and all(
        abs(int(colour[i : i + 2], 16) - int(expected[i : i + 2], 16)) <= 4 for i in (1, 3, 5)
    )


def wait_for_pieces(page):
    page.wait_for_function("() => document.getElementById('map').dataset.pieces === 'ready'", timeout=15_000)
