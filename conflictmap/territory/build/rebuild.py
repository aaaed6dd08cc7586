"""Rebuild a theatre's layer snapshots from its published control changes.

Called by the Celery task `territory.rebuild_layers` and by `manage.py rebuild_layers`.
Safe to run twice, or in two workers at once: a build is written beside the current one and
swapped in by one conditional transaction, and a build of older data never replaces a newer one.
"""

import datetime as dt
import logging
import time
from dataclasses import dataclass

from celery import current_app
from django.conf import settings
from django.db import connection, transaction

from conflictmap.atlas.models import Faction, Theatre
from conflictmap.territory.build.chunks import build_chunk, change_dates, chunk_starts
from conflictmap.territory.build.claims import record_failure, release_claim, renewing, take_claim
from conflictmap.territory.build.head import write_head
from conflictmap.territory.build.scrubbing import store_pieces
from conflictmap.territory.build.splice import spliceable
from conflictmap.territory.build.storage import copy_kept
from conflictmap.territory.build.swap import swap_in
from conflictmap.territory.models import (
    CHUNK_TASK,
    LayerBuild,
    LayerSnapshot,
    LayerState,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Plan:
    """What a rebuild must do: derive from `since` (None: from scratch) up to data `version`;
    `region` (GEOS) holds every place that may differ from the current build."""

    since: dt.date | None
    version: int
    region: object = None


def plan(theatre: Theatre, *, full: bool) -> Plan | None:
    """The rebuild to run now, or None when the current build is already up to date."""
    state, _ = LayerState.objects.get_or_create(theatre=theatre)
    has_current = LayerBuild.objects.filter(theatre=theatre, is_current=True).exists()
    if full or not has_current:
        return Plan(None, state.version)
    if state.dirty_since is None:
        return None
    return Plan(state.dirty_since, state.version, state.dirty_region)


def rebuild(theatre_id: int, *, full: bool = False, distribute: bool = False, claim: bool = False) -> LayerBuild | None:
    """Bring the theatre's layers up to date; returns the new build once it is current, or None
    when nothing was needed, a newer build won, or (distribute) Celery workers will finish it.

    1. Plan: from which date the layers are stale, and which data version this build reflects.
       Publish the latest layer alone first (territory.build.head), so today's map is right at once.
    2. Start the build: copy the current build's snapshots that begin before that date, and
       plan chunks of the later dates (territory.build.chunks). After an edit in a small region,
       each chunk splices the region into its dates (territory.build.splice); otherwise each derives
       its dates, from the pieces stored now.
    3. Build each chunk: here in order, or shared among Celery workers.
    4. The last chunk done swaps the build in (see swap_in); a spliced build then stores its
       pieces (see store_pieces).

    With `claim` (the Celery task), a build of data another worker has started is not begun. A
    failure is counted (claims.record_failure) and the claim released, so it is tried again.
    """
    started = time.monotonic()
    theatre = Theatre.objects.get(pk=theatre_id)
    todo = plan(theatre, full=full)
    # Else, a spliced build whose pieces failed after its swap (see store_pieces) gets them now.
    current = LayerBuild.objects.filter(theatre=theatre, is_current=True)
    work = todo or current.filter(pieces_geojson=b"").first()
    if work is None:
        return None
    if claim and not take_claim(theatre, work.version):
        return None  # another worker is already building this data (or newer)
    try:
        with renewing(theatre.pk, work.version):  # while this worker lives, nobody else starts it
            if isinstance(work, LayerBuild):
                store_pieces(work, Faction.objects.select_related("parent").in_bulk())
                return work
            return build_from(theatre, work, distribute=distribute, started=started)
    except Exception as error:
        record_failure(theatre.pk, work.version, error)
        release_claim(theatre.pk, work.version)  # so a retry, the sweep or the next edit can build it
        raise


def build_from(theatre: Theatre, todo: Plan, *, distribute: bool, started: float) -> LayerBuild | None:
    """Steps 1 (the head) to 4 of rebuild, for a plan this worker holds."""
    if todo.since is not None and todo.region is not None:
        try:
            write_head(theatre, todo.since, todo.region, todo.version)  # readers of today's map first
        except (LayerBuild.DoesNotExist, LayerSnapshot.DoesNotExist):
            log.info("The build to splice into was replaced meanwhile; the full build follows")
    factions = Faction.objects.select_related("parent").in_bulk()
    outermost = not connection.in_atomic_block  # (tests run inside a transaction of their own)
    with transaction.atomic():
        # One snapshot of the database for all that is read from the current build: a build
        # of other data swapping in meanwhile deletes that build's rows, but not from this view.
        if outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        # The current build's snapshots before the stale date are kept, if there are any.
        source = LayerBuild.objects.filter(theatre=theatre, is_current=True).values_list("pk", flat=True).first()
        since = todo.since
        if since and not LayerSnapshot.objects.filter(build_id=source, valid_from__lt=since).exists():
            since = None
        days = change_dates(theatre, since)
        splicing = bool(since and source and spliceable(theatre, todo.region))
        size = settings.BUILD_SPLICE_CHUNK_DATES if splicing else settings.BUILD_CHUNK_DATES
        build = LayerBuild.objects.create(
            theatre=theatre,
            version=todo.version,
            rebuilt_from=todo.since or theatre.start_date,
            chunk_starts=[day.isoformat() for day in chunk_starts(days, size)],
            spliced_from=source if splicing else None,
            splice_region=todo.region if splicing else None,
        )
        if since and source:
            copy_kept(build, source, since, days[0] if days else None)
        if not splicing:
            store_pieces(build, factions)  # chunks after the first start from them
    if distribute and len(build.chunk_starts) > 1:
        for index in range(len(build.chunk_starts)):
            transaction.on_commit(
                lambda index=index: current_app.send_task(CHUNK_TASK, args=[build.pk, index], queue=chunk_queue())
            )
        return None
    last = not build.chunk_starts
    for index in range(len(build.chunk_starts)):
        last = build_chunk(build.pk, index)
    LayerBuild.objects.filter(pk=build.pk).update(duration_ms=int((time.monotonic() - started) * 1000))
    return swap_in(build.pk) if last else None


def chunk_queue() -> str:
    """Chunks go to a queue of their own, which workers read after the main one (scripts/run.sh
    lists it second), so a new edit's rebuild, and its head, does not wait behind a long build."""
    return f"{current_app.conf.task_default_queue}-chunks"
