"""Rebuilding after an edit by splicing its region into the current build (territory/splice.py)."""

import datetime as dt

from conflictmap.territory.models import ControlArea, Holding, LayerBuild, LayerSnapshot
from conflictmap.territory.storage import layer_of
from tests.conftest import START, assert_same_layers, current_layers, rect


def holdings(theatre) -> dict[dt.date, dict[int | None, int]]:
    """Each current date's holding (id) per controller."""
    found: dict[dt.date, dict[int | None, int]] = {}
    for day, controller, holding in ControlArea.objects.filter(
        snapshot__build__theatre=theatre, snapshot__build__is_current=True
    ).values_list("snapshot__valid_from", "controller_id", "holding_id"):
        found.setdefault(day, {})[controller] = holding
    return found


def test_an_edit_keeps_the_holdings_it_cannot_have_changed(world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10.2, 10.2, 10.8, 10.8))  # in red's west
    world.change(dt.date(2020, 3, 1), world.green, rect(13.2, 12.2, 13.8, 12.8))  # in blue's east
    world.build()
    before = holdings(world.theatre)
    world.change(dt.date(2020, 2, 15), world.blue, rect(10.3, 10.3, 10.5, 10.5))  # inside green's first area
    build = world.build()
    assert build.chunk_starts == []  # spliced, not re-derived
    after = holdings(world.theatre)
    red, blue = world.red.pk, world.blue.pk
    assert after[START] == before[START] and after[dt.date(2020, 2, 1)] == before[dt.date(2020, 2, 1)]
    for day in dt.date(2020, 2, 15), dt.date(2020, 3, 1):
        assert after[day][red] == before.get(day, before[dt.date(2020, 2, 1)])[red]  # red does not meet the edit
    assert after[dt.date(2020, 3, 1)][blue] != before[dt.date(2020, 3, 1)][blue]
    spliced = current_layers(world.theatre)
    world.build(full=True)
    assert_same_layers(current_layers(world.theatre), spliced)


def test_a_date_the_edit_does_not_change_keeps_its_stored_payload(world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10.2, 10.2, 10.8, 10.8))
    world.change(dt.date(2020, 3, 1), world.blue, rect(10, 10, 11, 11))  # covers the green area
    world.change(dt.date(2020, 4, 1), world.green, rect(13.2, 12.2, 13.8, 12.8))
    world.build()
    april = LayerSnapshot.objects.filter(build__is_current=True, valid_from=dt.date(2020, 4, 1))
    etag, _ = layer_of(april)
    world.change(dt.date(2020, 2, 15), world.red, rect(10.3, 10.3, 10.5, 10.5))  # overwritten on 1 March
    world.build()
    # 1 March changed (blue took the area from red, not green); from 1 April nothing did.
    assert april.values_list("etag", flat=True).get() == etag  # copied as it was, not made again
    assert LayerSnapshot.objects.filter(build__is_current=True, valid_from=dt.date(2020, 2, 15)).exists()


def test_holdings_no_snapshot_uses_are_deleted_with_their_build(world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10.2, 10.2, 10.8, 10.8))
    world.build()
    world.change(dt.date(2020, 2, 15), world.blue, rect(10.3, 10.3, 10.5, 10.5))
    world.build()
    assert LayerBuild.objects.filter(theatre=world.theatre).count() == 1
    used = ControlArea.objects.values("holding")
    assert Holding.objects.filter(theatre=world.theatre).exclude(pk__in=used).count() == 0
    assert Holding.objects.filter(theatre=world.theatre).count() > 0


def test_an_edit_of_most_of_the_theatre_is_re_derived_in_chunks(world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10.2, 10.2, 10.8, 10.8))
    world.build()
    world.change(dt.date(2020, 2, 15), world.green, rect(10, 10, 13.5, 13))  # 7/8 of the theatre
    assert world.build().chunk_starts != []
