"""Celery tasks of the territory app: thin wrappers over territory.build (rebuild, chunks, swap)."""

import logging

from celery import shared_task
from django.db import DatabaseError

from conflictmap.atlas.models import Theatre
from conflictmap.territory import sweep
from conflictmap.territory.build import chunks, claims, rebuild, swap
from conflictmap.territory.models import CHUNK_TASK, REBUILD_TASK, SWEEP_TASK, LayerBuild

log = logging.getLogger(__name__)


# A build that lost a race with another one (rows it read were deleted by that build's swap)
# fails in the database; tried again, it starts from the build now current.
@shared_task(name=REBUILD_TASK, autoretry_for=(DatabaseError,), max_retries=3, retry_backoff=True)
def rebuild_layers(theatre_id: int) -> int | None:
    """Enqueued by territory.stale.mark_dirty after a commit; a no-op when nothing is stale.
    Long histories are handed to build_chunk tasks, which any worker may take."""
    try:
        result = rebuild.rebuild(theatre_id, distribute=True, claim=True)
    except Theatre.DoesNotExist:
        log.warning("Theatre %s no longer exists; nothing to rebuild", theatre_id)
        return None
    return result.pk if result else None


@shared_task(name=CHUNK_TASK, bind=True, max_retries=3)
def build_chunk(self, build_id: int, index: int) -> None:
    """One chunk of dates of a build; the worker finishing the last chunk swaps the build in.
    A chunk is written in one transaction, so a failed one is simply tried again (and one whose
    worker died goes back to the queue); after the last try the failure is counted and the claim
    released, so the sweep or the next edit starts afresh."""
    build = LayerBuild.objects.filter(pk=build_id).values_list("theatre_id", "version").first()
    if build is None:
        log.info("Build %s was replaced before chunk %s ran", build_id, index)
        return
    theatre_id, version = build
    try:
        with claims.renewing(theatre_id, version):
            if chunks.build_chunk(build_id, index):
                swap.swap_in(build_id)
    except LayerBuild.DoesNotExist:
        log.info("Build %s was replaced while chunk %s ran", build_id, index)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            claims.record_failure(theatre_id, version, error)
            claims.release_claim(theatre_id, version)
            raise
        raise self.retry(exc=error, countdown=2**self.request.retries) from error


@shared_task(name=SWEEP_TASK)
def sweep_layers() -> list[int]:
    """Run by Celery beat every LAYER_SWEEP_SECONDS (territory/sweep.py)."""
    return sweep.sweep()
