"""The server as `make run` and compose run it (scripts/run.sh: nginx in front of gunicorn)
holds: idle clients that send half a request and wait cannot stop the site; the files served at
the site's root (the icon browsers ask for unprompted) pass through the proxy."""

import io
import os
import socket
import subprocess
import time
import urllib.request

import pytest
from django.conf import settings
from django.db import connection
from PIL import Image

from tests.workers import ROOT, wait_for

pytestmark = [pytest.mark.pipeline, pytest.mark.django_db(transaction=True)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def status(url: str, timeout: float = 5) -> int | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status
    except OSError:
        return None  # refused, or no answer in time


def half_sent(port: int) -> socket.socket:
    """A client that sends the start of a request, then nothing (as a slow or hostile one may)."""
    client = socket.create_connection(("127.0.0.1", port))
    client.sendall(b"GET /api/v1/factions/ HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    return client


@pytest.fixture
def site(world, tmp_path):
    """nginx and gunicorn (two sync workers) started by scripts/run.sh, on the test database."""
    db = settings.DATABASES["default"]
    ports = {"proxy": free_port(), "web": free_port()}
    env = {
        **os.environ, "WEB_WORKERS": "2", "HOST": "127.0.0.1", "NGINX_PREFIX": str(tmp_path),
        "DATABASE_URL": f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{connection.settings_dict['NAME']}",
    }  # fmt: skip
    web = {**env, "PORT": str(ports["web"]), "PROXY_COUNT": "1"}
    proxy = {**env, "PORT": str(ports["proxy"]), "UPSTREAM": f"127.0.0.1:{ports['web']}"}
    processes = [subprocess.Popen(["scripts/run.sh", kind], cwd=ROOT, env=kind_env)
                 for kind, kind_env in (("web", web), ("proxy", proxy))]  # fmt: skip
    try:
        wait_for(lambda: status(f"http://127.0.0.1:{ports['proxy']}/api/v1/factions/") == 200, "the site to answer")
        yield ports
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=30)


def test_idle_half_sent_requests_do_not_stop_the_site(site):
    idle = [half_sent(site["proxy"]) for _ in range(20)]  # ten times gunicorn's workers
    layer = f"http://127.0.0.1:{site['proxy']}/api/v1/control/?theatre=toyland&date=2020-01-05"
    for _ in range(10):
        started = time.monotonic()
        assert status(layer) == 200
        assert time.monotonic() - started < 1
    # What the proxy is for: the same few idle clients straight at gunicorn stop it.
    straight = [half_sent(site["web"]) for _ in range(2)]
    assert status(f"http://127.0.0.1:{site['web']}/api/v1/factions/", timeout=2) is None
    for client in idle + straight:
        client.close()


def test_every_page_has_the_sites_icon(site):
    with urllib.request.urlopen(f"http://127.0.0.1:{site['proxy']}/favicon.ico", timeout=5) as response:
        assert response.headers["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
        icon = Image.open(io.BytesIO(response.read()))
    assert icon.format == "ICO" and {(16, 16), (32, 32)} <= icon.info["sizes"]
