"""Building a long history in chunks of dates, which several Celery workers can share.

A rebuild (territory.build.rebuild) plans the chunks: every BUILD_CHUNK_DATES-th change date
starts one. Each chunk needs the partition just before its first date. The first chunk takes
it from the previous build; the others take it from the build's pieces and their history
(lib.pieces): each controller's pieces at that date, dissolved. So a chunk can be built by any
worker at any time, and one worker building all chunks in order writes the same bytes as
several workers building them at once. The worker that finishes the last chunk swaps the build in.
"""

import datetime as dt
import json

import numpy as np
import shapely
from django.db import transaction
from django.db.models import F

from conflictmap.editorial.workflow import Status
from conflictmap.lib.geometry import polygonal
from conflictmap.lib.partition import Change, Territory, initial_territory, iter_intervals
from conflictmap.territory.areas import to_shapely
from conflictmap.territory.build.splice import splice_dates
from conflictmap.territory.build.storage import HoldingMemo, store_intervals, territory_of
from conflictmap.territory.models import ControlChange, LayerBuild


def chunk_starts(dates: list[dt.date], size: int) -> list[dt.date]:
    """The first date of each chunk of `size` consecutive change dates."""
    return dates[:: max(1, size)]


def change_dates(theatre, since: dt.date | None, until: dt.date | None = None) -> list[dt.date]:
    """The dates of the theatre's published changes, from `since` and before `until` if given."""
    dates = ControlChange.objects.filter(theatre=theatre, status=Status.PUBLISHED)
    if since is not None:
        dates = dates.filter(date__gte=since)
    if until is not None:
        dates = dates.filter(date__lt=until)
    return list(dates.order_by("date").values_list("date", flat=True).distinct())


def territory_from_pieces(build: LayerBuild, date: dt.date) -> Territory:
    """The partition just before `date`: each controller's pieces then, dissolved.

    The pieces are a clean coverage (territory.build.scrubbing), so the coverage union, which only
    drops shared edges, dissolves them (ten times faster than a general union at 8 years)."""
    history = json.loads(bytes(build.pieces_history))
    state = np.array(history["initial"])
    for step in history["steps"]:
        if dt.date.fromisoformat(step["date"]) >= date:
            break
        moves = step["moves"]
        state[moves[0::2]] = moves[1::2]
    collection = shapely.from_wkb(bytes(build.pieces_wkb))
    pieces = shapely.get_geometry(collection, np.arange(shapely.get_num_geometries(collection)))
    territory: Territory = {}
    for controller in np.unique(state):
        held = pieces[state == controller]
        faction_id = history["controllers"][controller]["id"]  # ids: a slug may be renamed meanwhile
        territory[faction_id] = polygonal(shapely.coverage_union_all(held[~shapely.is_empty(held)]))
    return territory


def build_chunk(build_id: int, index: int) -> bool:
    """Derive and store chunk `index` of a build; True when it was the last chunk to finish.

    1. The partition before the chunk: the build's last kept snapshot (first chunk of an
       incremental build), the theatre unassigned (first chunk of a full build), or the pieces.
    2. Derive the intervals of the chunk's dates and store them.
    3. Count the chunk done; report whether every chunk now is.
    """
    build = LayerBuild.objects.select_related("theatre").get(pk=build_id)
    theatre = build.theatre
    starts = [dt.date.fromisoformat(day) for day in build.chunk_starts]
    start, end = starts[index], starts[index + 1] if index + 1 < len(starts) else None
    if build.spliced_from is not None:
        return splice_chunk(build, start, end, len(starts))
    kept = build.snapshots.filter(valid_to=start).values_list("pk", flat=True).first() if index == 0 else None
    if index > 0:
        before = territory_from_pieces(build, start)
    elif kept is not None:
        before = territory_of(kept)
    else:
        before = initial_territory(to_shapely(theatre.boundary))
    changes = ControlChange.objects.filter(theatre=theatre, status=Status.PUBLISHED, date__gte=start).order_by(
        "date", "id"
    )
    if end is not None:
        changes = changes.filter(date__lt=end)
    intervals = list_with_end(
        iter_intervals(
            to_shapely(theatre.boundary),
            before,
            (Change(c.date, c.controller_id, to_shapely(c.area)) for c in changes.iterator()),
        ),
        end,
        baseline=index == 0 and kept is None,
    )
    with transaction.atomic():
        store_intervals(build, intervals, HoldingMemo())
        return count_done(build, len(starts))


def splice_chunk(build: LayerBuild, start: dt.date, end: dt.date | None, chunks: int) -> bool:
    """Splice the stale region into the chunk's dates, from the build spliced from (see
    territory.build.splice); True when it was the last chunk to finish.

    Read committed, unlike the rebuild's plan: chunks count themselves done on one row, which
    under repeatable read fails for every chunk but the first to commit. Should a newer build
    replace the source meanwhile, what this chunk reads may be cut short, but this build is of
    older data then, and swap_in never makes it current."""
    with transaction.atomic():
        source = LayerBuild.objects.get(pk=build.spliced_from)  # DoesNotExist: a newer build replaced it
        days = change_dates(build.theatre, start, end)
        splice_dates(build, source, build.rebuilt_from, build.splice_region, days, end)
        return count_done(build, chunks)


def count_done(build: LayerBuild, chunks: int) -> bool:
    """Count one more chunk of the build written (in the transaction that wrote it); True if all are."""
    LayerBuild.objects.filter(pk=build.pk).update(chunks_done=F("chunks_done") + 1)
    return LayerBuild.objects.values_list("chunks_done", flat=True).get(pk=build.pk) == chunks


def list_with_end(intervals, end: dt.date | None, *, baseline: bool):
    """The chunk's intervals, the last one ending where the next chunk begins. For the very
    first interval of a theatre, no gains or losses: the baseline replaces "no data"."""
    for number, interval in enumerate(intervals):
        if number == 0 and baseline:
            interval.gained, interval.lost = {}, {}
        if interval.valid_to is None:
            interval.valid_to = end
        yield interval
