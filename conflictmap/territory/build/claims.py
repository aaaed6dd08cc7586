"""Claims: which worker is building which data of a theatre, so two never build the same, and
a lost worker blocks nobody for long.

A claim is LayerState.claimed_version, taken by a conditional UPDATE (as healthchecks claims its
jobs). The worker renews it while it builds (`renewing`, a thread that touches claimed_at every
quarter of BUILD_CLAIM_SECONDS); a claim not renewed for BUILD_CLAIM_SECONDS has lapsed: its
worker was killed or lost, and the next task, or the sweep (territory/sweep.py), builds it.
Failed attempts are counted per data version, so the sweep retries a failing build a bounded
number of times and then leaves it reported (/healthz, the admin), never looping.
"""

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import connections
from django.db.models import F, Q
from django.utils import timezone

from conflictmap.atlas.models import Theatre
from conflictmap.territory.models import LayerState

log = logging.getLogger(__name__)


def lapsed_before() -> dt.datetime:
    """Claims last renewed before this have lapsed: their worker is presumed lost."""
    return timezone.now() - dt.timedelta(seconds=settings.BUILD_CLAIM_SECONDS)


def take_claim(theatre: Theatre, version: int) -> bool:
    """Claim building `version` with a conditional UPDATE: False if a live claim covers it."""
    lapsed = lapsed_before()
    return bool(
        LayerState.objects.filter(theatre=theatre)
        .filter(Q(claimed_version__lt=version) | Q(claimed_at__lt=lapsed) | Q(claimed_at__isnull=True))
        .update(claimed_version=version, claimed_at=timezone.now())
    )


def release_claim(theatre_id: int, version: int) -> None:
    LayerState.objects.filter(theatre_id=theatre_id, claimed_version=version).update(claimed_at=None)


def newer_build_under_way(state: LayerState) -> bool:
    """Whether a live claim is building newer data than the layers hold."""
    claimed = state.claimed_version > state.built_version
    return bool(claimed and state.claimed_at and state.claimed_at > lapsed_before())


@contextmanager
def renewing(theatre_id: int, version: int) -> Iterator[None]:
    """Keep the claim on `version` alive while the block runs (a no-op if another version holds
    it): a thread renews it, on a database connection of its own, until the block ends."""
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(settings.BUILD_CLAIM_SECONDS / 4):
                LayerState.objects.filter(
                    theatre_id=theatre_id, claimed_version=version, claimed_at__isnull=False
                ).update(claimed_at=timezone.now())
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=renew, name=f"claim-{theatre_id}-v{version}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def record_failure(theatre_id: int, version: int, error: BaseException) -> None:
    """Count a failed attempt at building `version` (the count starts again for newer data)."""
    log.exception("Building the layers of theatre %s (data v%s) failed", theatre_id, version, exc_info=error)
    same = LayerState.objects.filter(theatre_id=theatre_id, failed_version=version)
    described = f"{type(error).__name__}: {error}"[:2000]
    now = timezone.now()
    if not same.update(failures=F("failures") + 1, last_failure=described, last_failure_at=now):
        LayerState.objects.filter(theatre_id=theatre_id).update(
            failed_version=version, failures=1, last_failure=described, last_failure_at=now
        )
