"""Celery task of the exports app: the full-history files (exports/stored.py), written after each
build is published and whenever a download finds its file behind the data, one at a time."""

import logging
import time

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from conflictmap.atlas.models import Theatre
from conflictmap.exports.stored import store

log = logging.getLogger(__name__)

WRITE_TASK = "exports.write_history"
PENDING_SECONDS = 15 * 60  # one write waiting at a time per theatre (forgotten after this, if lost)


@shared_task(name=WRITE_TASK)
def write_history(theatre_id: int) -> None:
    """Write a theatre's history files (thin wrapper over `store`); idempotent. The request is
    taken off first: data that changes while this one writes asks for another."""
    cache.delete(pending_key(theatre_id))
    theatre = Theatre.objects.filter(pk=theatre_id).first()
    if theatre is not None:
        log.info("History of %s written: %s", theatre.slug, store(theatre))


def pending_key(theatre_id: int) -> str:
    return f"exports:history-pending:{theatre_id}"


def ask_for(theatre_id: int, delay: int = 0) -> None:
    """Ask a worker for new history files, `delay` seconds after the current transaction commits,
    unless a write already waits to run by then (robust: a broker down costs a refresh, not the
    request). The flag holds when the waiting write runs, so a sooner ask is not held back."""

    def enqueue() -> None:
        key, due = pending_key(theatre_id), time.time() + delay
        waiting = cache.get(key)
        if waiting is not None and waiting <= due:
            return
        cache.set(key, due, timeout=delay + PENDING_SECONDS)
        try:
            write_history.apply_async((theatre_id,), countdown=delay)
        except Exception:
            cache.delete(key)  # the next download asks again
            raise

    transaction.on_commit(enqueue, robust=True)


def rewrite(sender, theatre_id: int, build, **kwargs) -> None:
    """Receiver of territory.build.swap.published: new layers, new history files, a while later, so
    that an editing session's builds share one write (at 8 years it keeps a worker 4 minutes)."""
    ask_for(theatre_id, settings.HISTORY_EXPORT_DELAY_SECONDS)
