"""Celery tasks of the territory app: thin wrappers over conflictmap.territory.build."""

import logging

from celery import shared_task

from conflictmap.atlas.models import Theatre
from conflictmap.territory import build
from conflictmap.territory.models import REBUILD_TASK

log = logging.getLogger(__name__)


@shared_task(name=REBUILD_TASK)
def rebuild_layers(theatre_id: int) -> int | None:
    """Enqueued by territory.models.mark_dirty after a commit; a no-op when nothing is stale."""
    try:
        result = build.rebuild(theatre_id)
    except Theatre.DoesNotExist:
        log.warning("Theatre %s no longer exists; nothing to rebuild", theatre_id)
        return None
    return result.pk if result else None
