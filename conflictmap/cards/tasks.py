"""Celery task of the cards app: a thin wrapper over cards.images, for saved views."""

import datetime as dt
import logging

from celery import shared_task

from conflictmap.atlas.models import Theatre
from conflictmap.cards.images import NoLayer, card_png

log = logging.getLogger(__name__)

RENDER_TASK = "cards.render_card"


@shared_task(name=RENDER_TASK)
def render_card(
    theatre_id: int,
    date: str,
    title: str | None = None,
    factions: list[str] | None = None,
    bbox: list[float] | None = None,
    language: str = "en",
    build: int | None = None,
) -> None:
    """Draw a view's card into the cache, so its first reader gets it at once. Enqueued for each
    saved view after a build is swapped in, or when a view citing a build (`build`, its number)
    is saved (with delay_on_commit); idempotent: a card already cached is left as is."""
    theatre = Theatre.objects.filter(pk=theatre_id).first()
    if theatre is None:
        log.warning("Theatre %s no longer exists; no card to draw", theatre_id)
        return
    frame = (bbox[0], bbox[1], bbox[2], bbox[3]) if bbox else None
    try:
        card_png(
            theatre, dt.date.fromisoformat(date), title=title, factions=factions, bbox=frame, language=language,
            build=build,
        )  # fmt: skip
    except NoLayer as reason:
        log.info("No card of %s at %s: %s", theatre.slug, date, reason)
