"""Rebuilding after an edit by splicing its region into the current build (territory/build/splice.py)."""

import datetime as dt

from conflictmap.territory.build.rebuild import rebuild
from conflictmap.territory.build.storage import layer_of
from conflictmap.territory.models import ControlArea, Holding, LayerBuild, LayerSnapshot
from tests.conftest import START, assert_same_layers, current_layers, current_payloads, rect


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
    assert build.spliced_from is not None  # spliced, not re-derived
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


def edit_replacing_a_holding(world) -> int:
    """Build a history, then edit it so that the holding blue had from 1 March is used no
    more; returns that holding's id."""
    world.change(dt.date(2020, 2, 1), world.green, rect(10.2, 10.2, 10.8, 10.8))
    world.change(dt.date(2020, 3, 1), world.blue, rect(11.2, 10.2, 11.8, 10.8))  # taken from red
    world.build()
    replaced = holdings(world.theatre)[dt.date(2020, 3, 1)][world.blue.pk]
    world.change(dt.date(2020, 2, 15), world.blue, rect(10.3, 10.3, 10.5, 10.5))
    return replaced


def test_holdings_no_snapshot_uses_are_deleted_with_their_build(world):
    replaced = edit_replacing_a_holding(world)
    world.build()
    assert LayerBuild.objects.filter(theatre=world.theatre).count() == 1
    assert not Holding.objects.filter(pk=replaced).exists()
    used = ControlArea.objects.values("holding")
    assert not Holding.objects.filter(theatre=world.theatre).exclude(pk__in=used).exists()


def test_an_edit_of_most_of_the_theatre_is_re_derived_in_chunks(world):
    world.change(dt.date(2020, 2, 1), world.green, rect(10.2, 10.2, 10.8, 10.8))
    world.build()
    world.change(dt.date(2020, 2, 15), world.green, rect(10, 10, 13.5, 13))  # 7/8 of the theatre
    assert world.build().spliced_from is None


def test_an_edit_that_moves_a_change_earlier_and_gives_it_to_another_side(world):
    # Green holds a strip from the start; on 1 March it takes an area from red; on 1 April blue
    # takes one elsewhere. Then the March change moves to February, for blue: the old 1 March
    # date is gone, and green must not keep the area (a review found it held twice).
    world.change(START, world.green, rect(13.5, 10, 14, 13))
    taken = world.change(dt.date(2020, 3, 1), world.green, rect(10.5, 10.5, 11, 11))
    world.change(dt.date(2020, 4, 1), world.blue, rect(11, 12, 11.5, 12.5))
    world.build()
    taken.date, taken.controller = dt.date(2020, 2, 1), world.blue
    taken.save()
    assert world.build().spliced_from is not None
    spliced = current_layers(world.theatre)
    world.build(full=True)
    assert_same_layers(current_layers(world.theatre), spliced)


def test_unused_holdings_stay_while_a_build_of_newer_data_is_under_way(world):
    from django.db.models import F
    from django.utils import timezone

    from conflictmap.territory.models import LayerState

    replaced = edit_replacing_a_holding(world)
    # Another worker has claimed newer data: its splice may be reading this build's holdings.
    LayerState.objects.filter(theatre=world.theatre).update(claimed_version=F("version") + 1, claimed_at=timezone.now())
    world.build()
    assert Holding.objects.filter(pk=replaced).exists()


def test_splicing_in_chunks_in_any_order_gives_the_same_bytes_as_in_one_go(world, settings):
    from conflictmap.territory.build.chunks import build_chunk

    for day in range(1, 9):
        world.change(START + dt.timedelta(days=day), world.green, rect(10 + day / 4, 10, 10.2 + day / 4, 11))
    world.build()
    world.change(START + dt.timedelta(days=3), world.blue, rect(10.5, 10.5, 11.5, 10.8))  # across later strips
    settings.BUILD_SPLICE_CHUNK_DATES = 2
    assert rebuild(world.theatre.pk, distribute=True) is None  # handed to workers...
    chunked = LayerBuild.objects.filter(theatre=world.theatre, is_current=False).latest("pk")
    assert chunked.spliced_from is not None and len(chunked.chunk_starts) == 3  # days 3 to 8
    for index in reversed(range(len(chunked.chunk_starts))):  # ...which happen to finish backwards
        last = build_chunk(chunked.pk, index)
    assert last
    in_chunks = [
        (snapshot.valid_from, snapshot.valid_to, layer_of(LayerSnapshot.objects.filter(pk=snapshot.pk))[0])
        for snapshot in chunked.snapshots.order_by("valid_from")
    ]
    settings.BUILD_SPLICE_CHUNK_DATES = 100
    in_one_go = world.build()  # from the same build, which is still current
    assert in_one_go.spliced_from == chunked.spliced_from and len(in_one_go.chunk_starts) == 1
    assert current_payloads(world.theatre) == in_chunks
    assert not LayerBuild.objects.filter(pk=chunked.pk).exists()  # the swap retired the other build of this data
