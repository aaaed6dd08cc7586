"""Claims: which worker is building which data of a theatre, so two never build the same.

A claim is LayerState.claimed_version, taken by a conditional UPDATE (as healthchecks claims its
jobs), and lapses after BUILD_CLAIM_SECONDS, so a lost worker never blocks the next build for good.
"""

import datetime as dt

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from conflictmap.atlas.models import Theatre
from conflictmap.territory.models import LayerState


def lapsed_before() -> dt.datetime:
    """Claims taken before this have lapsed: their worker is presumed lost."""
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
