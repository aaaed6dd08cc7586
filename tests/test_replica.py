"""Public reads from a read replica (conflictmap/http/replica.py).

A copy of the database made before the last edit stands in for a replica that has not caught
up yet, so which database answered shows in what the app returns. The app runs in a process of
its own, started with DATABASE_REPLICA_URL, as a deployment would.
"""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.db import connection, connections

from conflictmap.atlas.models import Source, Theatre
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from tests.conftest import START, rect

ROOT = Path(__file__).resolve().parent.parent

# Run in the app's process: what a public request, a request to the admin and code outside any
# request (a Celery task, a command) each read.
SCRIPT = """
import json
import django
django.setup()
from django.contrib.auth.models import User
from django.test import Client
from conflictmap.events.models import Event

def titles(response):
    return [feature["properties"]["title"] for feature in response.json()["features"]]

client = Client()
public = titles(client.get("/api/v1/events/", {"theatre": "toyland"}))
client.force_login(User.objects.get(username="editor"))
admin = client.get("/admin/events/event/").content.decode()
print(json.dumps({
    "public": public,
    "admin": [title for title in ("Before the copy", "After the copy") if title in admin],
    "outside": sorted(Event.objects.values_list("title", flat=True)),
}))
"""


def url_of(name: str) -> str:
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{name}"


@pytest.fixture
def stale_replica(transactional_db):
    """A database name: a copy of the test database as it is now.

    Copied with pg_dump, as a replica is fed, rather than CREATE DATABASE ... TEMPLATE, which
    needs the primary to have no other session (a worker an earlier test stopped, or a
    connection Django keeps in another context, may still hold one)."""
    primary = connection.settings_dict["NAME"]
    replica = f"{primary}_replica"
    with psycopg.connect(url_of("postgres").replace("postgres://", "postgresql://"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{replica}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{replica}"')
    dump = subprocess.run(["pg_dump", "--no-owner", url_of(primary)], capture_output=True, check=True)
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", url_of(replica)], input=dump.stdout,
                   capture_output=True, check=True)  # fmt: skip
    yield replica
    connections.close_all()
    with psycopg.connect(url_of("postgres").replace("postgres://", "postgresql://"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{replica}" WITH (FORCE)')


def published_event(theatre, source, title, day):
    event = Event.objects.create(theatre=theatre, date=START + dt.timedelta(days=day), title=title,
                                 location=Point(11, 11, srid=4326), status=Status.PUBLISHED,
                                 type=Event.Type.CLASH)  # fmt: skip
    event.sources.add(source)


@pytest.fixture
def toyland(transactional_db):
    theatre = Theatre.objects.create(slug="toyland", name="Toyland", start_date=START, boundary=rect(10, 10, 14, 13))
    source = Source.objects.create(title="Toyland Gazette", publisher="Toy Press")
    published_event(theatre, source, "Before the copy", 1)
    User.objects.create_superuser("editor", "editor@example.org", "not-a-real-password")
    return theatre, source


def test_public_reads_come_from_the_replica_and_the_admin_reads_the_primary(toyland, stale_replica):
    published_event(*toyland, "After the copy", 2)  # on the primary only: the replica lags
    environment = {
        "DATABASE_URL": url_of(connection.settings_dict["NAME"]),
        "DATABASE_REPLICA_URL": url_of(stale_replica),
        "RESPONSE_CACHE_SECONDS": "0",  # the answer must come from a database, not Redis
        "ALLOWED_HOSTS": "testserver",
        "DJANGO_SETTINGS_MODULE": "conflictmap.settings",
        "PYTHONPATH": str(ROOT),
        "PATH": "/usr/bin:/bin",
    }
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=environment, capture_output=True, text=True,
                          cwd=ROOT, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["public"] == ["Before the copy"]  # a reader: the replica, as it stood
    assert seen["admin"] == ["Before the copy", "After the copy"]  # an editor: the primary
    assert seen["outside"] == ["After the copy", "Before the copy"]  # builds and commands: the primary
