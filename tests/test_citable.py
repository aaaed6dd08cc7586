"""Citable, as-published maps (territory/serve/citable.py): a saved view pinned to a build keeps
showing that build after corrections, by immutable URLs, and says when it has been corrected."""

import datetime as dt
import json

import pytest

from conflictmap.embeds.models import MapView
from conflictmap.territory.models import LayerBuild
from conflictmap.territory.serve.citable import pin_current
from tests.conftest import rect
from tests.editors import form_data

FEB, MAR = dt.date(2020, 2, 1), dt.date(2020, 3, 1)


def control(client, **query):
    return client.get("/api/v1/control/", {"theatre": "toyland", **query})


def owners(answer) -> dict:
    return {
        feature["properties"]["faction"]: feature["properties"]["area_km2"] for feature in answer.json()["features"]
    }


@pytest.fixture
def cited(world):
    """Green took a square in February, the build is pinned; then the square is corrected."""
    world.change(FEB, world.green, rect(10, 10, 11, 11))
    world.build()
    build = pin_current(world.theatre.pk)
    world.change(FEB, world.green, rect(10, 10, 11.5, 11))  # the correction: a wider square
    world.build()
    return build


def test_a_pinned_build_is_kept_and_served_as_published_for_good(client, world, cited):
    assert LayerBuild.objects.filter(pk=cited.pk).exists() and not LayerBuild.objects.get(pk=cited.pk).is_current
    as_published = control(client, date="2020-02-10", build=cited.version)
    assert as_published.status_code == 200 and as_published["Cache-Control"] == "public, max-age=31536000, immutable"
    now = control(client, date="2020-02-10")
    assert owners(as_published)["green"] < owners(now)["green"]  # the correction widened it
    timeline = client.get("/api/v1/timeline/", {"theatre": "toyland", "build": cited.version}).json()
    assert f"build={cited.version}" in timeline["pieces_url"] and f"build={cited.version}" in timeline["history_url"]
    pieces = client.get(timeline["pieces_url"])
    assert pieces.status_code == 200 and pieces["Cache-Control"].endswith("immutable")
    world.change(MAR, world.blue, rect(10, 12, 11, 13))
    world.build()  # a third build: the pinned one still stands, the unpinned second is gone
    assert LayerBuild.objects.filter(theatre=world.theatre).count() == 2
    assert owners(control(client, date="2020-02-10", build=cited.version)) == owners(as_published)


def test_a_build_not_kept_is_a_404_with_the_reason(client, world, cited):
    answer = control(client, date="2020-02-10", build=cited.version + 1000)
    assert answer.status_code == 404 and "not cited" in answer.json()["error"]
    assert control(client, date="2020-02-10", build="x").status_code == 400


def test_the_embed_of_a_pinned_view_cites_its_build_and_says_when_it_was_corrected(client, world):
    world.change(FEB, world.green, rect(10, 10, 11, 11))
    world.build()
    view = MapView.objects.create(slug="ford", title="The ford", theatre=world.theatre, date=dt.date(2020, 2, 10),
                                  build=pin_current(world.theatre.pk))  # fmt: skip
    page = client.get("/embed/ford/").content.decode()
    assert f"build {view.build.version}" in page and 'data-state="date=2020-02-10&amp;build=' in page
    assert "Corrected since" not in page
    world.change(MAR, world.blue, rect(10, 12, 11, 13))
    world.build()  # news after the view's date: no correction of what it shows
    assert "Corrected since" not in client.get("/embed/ford/").content.decode()
    world.change(FEB, world.red, rect(10.5, 10.5, 11, 11))
    world.build()  # a correction of February
    page = client.get("/embed/ford/").content.decode()
    assert "Corrected since" in page and "/t/toyland/changes/" in page


def test_the_admin_pins_a_view_to_the_current_build_and_unpins_it(
    admin_client, world, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.cache import cache

    from conflictmap.cards.images import Card, build_id_of
    from conflictmap.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)  # the card's task runs here, not in a worker
    world.change(FEB, world.green, rect(10, 10, 11, 11))
    world.build()
    view = MapView.objects.create(slug="ford", title="The ford", theatre=world.theatre)
    url = f"/admin/embeds/mapview/{view.pk}/change/"
    data = {**form_data(admin_client.get(url).content.decode()), "theatre": world.theatre.pk, "language": "en"}
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(url, {**data, "cite": "pinned"}).status_code == 302
    view.refresh_from_db()
    current = LayerBuild.objects.get(theatre=world.theatre, is_current=True)
    assert view.build == current and LayerBuild.objects.get(pk=current.pk).pinned
    card = Card(world.theatre, FEB, "The ford", None, None, "en")  # drawn on save: ready for the first share
    assert cache.get(card.key(build_id_of(world.theatre, current.version)))
    assert admin_client.post(url, {**data, "cite": "live"}).status_code == 302
    view.refresh_from_db()
    assert view.build is None
    assert json.loads(json.dumps(view.state())) == {}
