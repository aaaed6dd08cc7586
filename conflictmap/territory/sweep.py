"""The sweep: no theatre's layers stay behind its data unnoticed.

An edit enqueues its rebuild when it commits (territory/stale.py), but that message can be lost:
the broker was down at the time, or every worker died mid-build and its claim lapsed. Celery
beat runs `sweep` every LAYER_SWEEP_SECONDS (scripts/run.sh beat): it enqueues a rebuild of each
theatre whose layers lag its data (or whose current build lacks its pieces) and that nobody is
building, unless that data has already failed BUILD_MAX_ATTEMPTS times (then /healthz and the
admin report it, and the next edit starts the count again). Each sweep also records the workers'
heartbeat, which /healthz reads.
"""

import time

from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db.models import F, Q

from conflictmap.territory.build.claims import lapsed_before
from conflictmap.territory.models import REBUILD_TASK, LayerBuild, LayerState

HEARTBEAT_KEY = "worker-heartbeat"


def lagging() -> list[int]:
    """The theatres (ids) to rebuild now."""
    unclaimed = Q(claimed_at__isnull=True) | Q(claimed_at__lt=lapsed_before()) | Q(claimed_version__lt=F("version"))
    failed_too_often = Q(failed_version=F("version"), failures__gte=settings.BUILD_MAX_ATTEMPTS)
    without_pieces = LayerBuild.objects.filter(is_current=True, pieces_geojson=b"").values("theatre_id")
    behind = Q(version__gt=F("built_version")) | Q(theatre_id__in=without_pieces)
    return list(
        LayerState.objects.filter(behind & unclaimed).exclude(failed_too_often).values_list("theatre_id", flat=True)
    )


def sweep() -> list[int]:
    """Enqueue the rebuilds `lagging` names; note that a worker is alive. Returns the theatres."""
    theatres = lagging()
    for theatre_id in theatres:
        current_app.send_task(REBUILD_TASK, args=[theatre_id])
    cache.set(HEARTBEAT_KEY, time.time(), timeout=None)
    return theatres


def last_heartbeat() -> float | None:
    """When a worker last ran the sweep (a Unix time), if the cache knows."""
    return cache.get(HEARTBEAT_KEY)
