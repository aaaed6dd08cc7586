"""Social images (cards): drawn from the current build, cached per build and view, served as PNG.

The toy theatre spans 10–14° E, 10–13° N: red holds the west half, blue the east half, and
green holds nothing until a test gives it something.
"""

import datetime as dt
import io
import uuid

import numpy as np
import pytest
import shapely
from django.contrib.gis.geos import MultiPolygon, Polygon
from django.core.cache import cache, caches
from PIL import Image
from shapely.geometry import box

from conflictmap.cards.apps import check_card_text
from conflictmap.cards.images import Card, build_id_of, card_png
from conflictmap.cards.tasks import render_card
from conflictmap.lib import card as drawing
from conflictmap.territory.serve.citable import pin_current
from tests.conftest import START, rect

RED, BLUE, GREEN, NO_DATA = (214, 39, 40), (31, 119, 180), (44, 160, 44), (189, 189, 189)
URL = "/api/v1/card.png"
DEAD_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture(autouse=True)
def own_cache_namespace(monkeypatch):
    """A key prefix of this test's own, so no card cached by another test (or run) is reused."""
    monkeypatch.setattr(caches["default"], "key_prefix", f"test-{uuid.uuid4().hex}")


def pixels(png: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(png))
    image.load()
    return image


def count(image: Image.Image, colour: tuple[int, int, int]) -> int:
    """How many pixels are exactly `colour`."""
    return int(np.all(np.asarray(image.convert("RGB")) == colour, axis=-1).sum())


def get_card(client, headers=None, **query):
    return client.get(URL, {"theatre": "toyland", "date": START.isoformat(), **query}, headers=headers)


def test_a_card_is_a_1200_by_630_png_in_the_colours_of_that_date(world, client):
    world.change(START + dt.timedelta(days=10), world.green, rect(10, 10, 11, 11))
    world.build()
    response = get_card(client, date=(START + dt.timedelta(days=5)).isoformat())
    assert (response.status_code, response["Content-Type"]) == (200, "image/png")
    image = pixels(response.content)
    assert (image.format, image.size) == ("PNG", (1200, 630))
    assert count(image, RED) > 10_000 and count(image, BLUE) > 10_000
    assert count(image, GREEN) == 0  # green held nothing that date
    later = pixels(get_card(client, date=(START + dt.timedelta(days=10)).isoformat()).content)
    assert count(later, GREEN) > 1_000


def test_only_the_factions_asked_for_are_coloured(world, client):
    image = pixels(get_card(client, factions="red").content)
    assert count(image, RED) > 10_000 and count(image, BLUE) == 0


def test_territory_no_change_covers_is_drawn_as_no_data(world, client):
    world.theatre.boundary = rect(8, 10, 14, 13)  # a strip west of the baseline's areas: no data
    world.theatre.save()
    world.build(full=True)
    image = pixels(get_card(client).content)
    assert count(image, NO_DATA) > 1_000


def test_the_map_edges_are_antialiased(world, client):
    world.change(START, world.green, MultiPolygon(Polygon(((10, 10), (14, 10), (10, 13), (10, 10))), srid=4326))
    world.build()
    image = pixels(get_card(client).content)
    map_part = np.asarray(image.convert("RGB"))[:, :700].reshape(-1, 3)
    # Drawn without antialiasing, the map has its dozen fill and stroke colours and a few
    # blends of the translucent borders; antialiased, a slanting edge adds shades between them.
    assert len(np.unique(map_part, axis=0)) > 100


def view(title: str, language: str = "ar") -> drawing.View:
    """A card of one square area, for looking at its text."""
    return drawing.View(box(0, 0, 1, 1), [], [drawing.Area("#d62728", "أ", 1.0, box(0, 0, 1, 1))], "", title, "",
                        language=language)  # fmt: skip


def title_ink(title: str, language: str = "ar") -> np.ndarray:
    """The title's ink, cut out of the card: where it differs from the card without a title."""
    with_title = np.asarray(pixels(drawing.render(view(title, language))).convert("L")).astype(int)
    without = np.asarray(pixels(drawing.render(view("\u200b", language))).convert("L")).astype(int)  # one empty line
    ink = np.abs(with_title - without) > 64
    rows, columns = np.nonzero(ink)
    return ink[rows.min() : rows.max() + 1, columns.min() : columns.max() + 1]


def runs(columns: np.ndarray) -> int:
    """How many separate runs of inked columns there are, left to right."""
    return int(np.sum(columns[1:] & ~columns[:-1]) + columns[0])


def test_an_arabic_title_is_shaped_its_letters_joined():
    # Four behs, shaped, are one joined word (initial, medial, medial, final forms); drawn
    # unshaped they would be four isolated letters with gaps between them.
    assert runs(title_ink("بببب").any(axis=0)) == 1
    assert runs(title_ink("ب ب ب ب").any(axis=0)) == 4


def test_an_arabic_title_reads_right_to_left():
    # Alef (a tall stroke) first, then a tatweel (a low line): right to left, the stroke is at
    # the right end of the title.
    ink = title_ink("اــــــــ")
    tallest = int(np.argmax(ink.sum(axis=0)))
    assert tallest > ink.shape[1] * 0.75


def test_an_arabic_card_is_laid_out_right_to_left(world, client):
    english, arabic = (pixels(get_card(client, lang=lang).content) for lang in ("en", "ar"))
    # The panel is white: on the right of an English card, on the left of an Arabic one.
    assert np.asarray(english)[:, -300:].mean() > np.asarray(english)[:, :300].mean()
    assert np.asarray(arabic)[:, :300].mean() > np.asarray(arabic)[:, -300:].mean()
    assert count(arabic, RED) > 10_000


def test_a_second_request_is_served_from_the_cache(world, client):
    first = get_card(client)
    key = Card(world.theatre, START).key(build_id_of(world.theatre))
    assert cache.get(key) == first.content  # stored once drawn
    marked = pixels(first.content)
    marked.putpixel((0, 0), (1, 2, 3))
    stored = io.BytesIO()
    marked.save(stored, "PNG")
    cache.set(key, stored.getvalue())
    again = get_card(client)
    assert again.content == stored.getvalue()  # the cache's bytes, not drawn again
    assert again["ETag"] == first["ETag"]
    assert get_card(client, headers={"If-None-Match": first["ETag"]}).status_code == 304


def test_a_new_build_gives_a_new_image(world, client):
    first = get_card(client)
    world.change(START, world.green, rect(10, 10, 11, 11))
    world.build()
    second = get_card(client)
    assert second["ETag"] != first["ETag"] and second.content != first.content
    assert count(pixels(second.content), GREEN) > 1_000


def test_a_card_of_a_cited_build_shows_it_as_published_for_good(world, client):
    world.change(START, world.green, rect(10, 10, 11, 11))
    world.build()
    cited = pin_current(world.theatre.pk)
    world.change(START, world.blue, rect(10, 10, 11, 11))  # a correction: the square was blue's
    world.build()
    assert count(pixels(get_card(client).content), GREEN) == 0
    response = get_card(client, build=cited.version)
    assert count(pixels(response.content), GREEN) > 1_000
    assert "immutable" in response["Cache-Control"]
    assert get_card(client, build=cited.version + 5).status_code == 404


def test_cards_are_drawn_while_the_cache_is_down(world, client, settings):
    settings.CACHES = {**settings.CACHES, "default": {**settings.CACHES["default"], "LOCATION": DEAD_REDIS}}
    response = get_card(client)
    assert response.status_code == 200 and count(pixels(response.content), RED) > 10_000


def test_the_task_draws_a_saved_view_into_the_cache(world):
    render_card(world.theatre.pk, START.isoformat(), title="Toyland today", factions=["red"], bbox=[10, 10, 12, 12])
    card = Card(world.theatre, START, "Toyland today", ("red",), (10, 10, 12, 12))
    png = cache.get(card.key(build_id_of(world.theatre)))
    assert png == card_png(world.theatre, START, title="Toyland today", factions=["red"], bbox=(10, 10, 12, 12))
    render_card(world.theatre.pk + 1000, START.isoformat())  # a theatre deleted meanwhile: nothing to do


@pytest.mark.parametrize(("query", "status", "says"), [
    ({"date": ""}, 400, "date"),
    ({"date": "2020-02-30"}, 400, "date"),
    ({"bbox": "10,10,12"}, 400, "four numbers"),
    ({"bbox": "12,10,10,12"}, 400, "Out of range"),
    ({"bbox": "nan,10,12,12"}, 400, "Out of range"),
    ({"bbox": "20,20,21,21"}, 400, "Does not overlap Toyland"),
    ({"lang": "fr"}, 400, "lang"),
    ({"factions": "red,nope"}, 400, "Unknown faction nope"),
    ({"title": "x" * 201}, 400, "title"),
    ({"theatre": "atlantis"}, 404, "Unknown theatre 'atlantis'"),
    ({"date": "2019-12-31"}, 404, "before 2020-01-01"),
])  # fmt: skip
def test_bad_parameters_get_a_clear_error(world, client, query, status, says):
    response = get_card(client, **query)
    assert response.status_code == status
    assert says in response.json()["error"]


def test_a_theatre_with_no_build_yet_is_a_404(world, client):
    world.theatre.builds.all().delete()
    response = get_card(client)
    assert response.status_code == 404 and "built yet" in response.json()["error"]


def test_vertices_closer_than_the_pixel_grid_are_drawn_once():
    # A smooth outline of 200,000 vertices, about 1,500 pixels around on the card: most of its
    # vertices fall in the cell of the one before.
    angles = np.linspace(0, 2 * np.pi, 200_000, endpoint=False)
    ring = shapely.Polygon(np.column_stack([38 + 3 * np.cos(angles), 35 + 2 * np.sin(angles)]))
    frame = drawing.frame_of(ring.bounds, (0, 0, 720, 630))
    drawn = drawing.path_of(drawing.pixels(ring, frame), 0.25).coords()
    assert len(drawn) < 2 * 10_000  # x and y of each vertex
    assert len(drawing.path_of(drawing.pixels(ring, frame), 0).coords()) >= 2 * 200_000


def test_a_missing_font_is_reported_by_the_system_checks(monkeypatch):
    assert check_card_text(None) == []
    with monkeypatch.context() as patched:
        patched.setitem(drawing.FONTS, "regular", "NoSuchFont.ttf")
        drawing.font.cache_clear()
        assert [error.id for error in check_card_text(None)] == ["cards.E001"]
    drawing.font.cache_clear()  # the real font again, for the tests after this one


def test_another_site_may_read_a_card(world, client):
    # As the rest of the public API (django-cors-headers): a newsroom's page may draw it on a canvas.
    response = get_card(client, headers={"Origin": "https://news.example"})
    assert response["Access-Control-Allow-Origin"] == "*"
