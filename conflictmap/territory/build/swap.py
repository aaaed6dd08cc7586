"""The last step of a build: make it current, unless a build of newer data already is.

Called by whoever writes a build's last chunk: territory.build.rebuild in the foreground, the
build_chunk task in a worker. Readers see the old layers or the new ones, never half: the
switch is one transaction.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

from conflictmap.atlas.models import Faction
from conflictmap.http import response_cache
from conflictmap.territory.build import storage
from conflictmap.territory.build.claims import newer_build_under_way
from conflictmap.territory.build.fronts import ensure_fronts
from conflictmap.territory.build.overview import overview_of
from conflictmap.territory.build.scrubbing import store_pieces
from conflictmap.territory.models import LayerBuild, LayerHead, LayerState

log = logging.getLogger(__name__)

# Sent once a build is current, with `theatre_id` and `build`: for what is made from the layers
# by apps above this one (the saved views' social images, conflictmap/embeds/apps.py).
published = Signal()


def swap_in(build_id: int) -> LayerBuild | None:
    """Make a fully written build current; returns it if it became current, None if newer data won.

    1. Switch the theatre's current build (see switch), deleting builds of older data.
    2. Generalise the latest date's country view: the first view readers ask for; store its
       front lines' new pairs (territory.build.fronts).
    3. A spliced build then stores its pieces for scrubbing: at 8 years they take longer than
       the splice itself, so readers get every date right first (territory.build.scrubbing).
    """
    build = LayerBuild.objects.get(pk=build_id)
    if not switch(build):
        return None
    log.info("Built %s v%s: %d snapshots", build.theatre.slug, build.version, build.snapshots.count())
    published.send(sender=LayerBuild, theatre_id=build.theatre_id, build=build)
    latest = build.snapshots.filter(valid_to__isnull=True)
    overview_of(latest)
    ensure_fronts(build.theatre_id, list(latest.values_list("pk", flat=True)))
    if build.spliced_from is not None:
        store_pieces(build, Faction.objects.in_bulk())
    return build


def switch(build: LayerBuild) -> bool:
    """The transaction of swap_in: True if `build` is now current.

    The theatre's LayerState row is locked, so two workers finishing at once are serialised.
    Builds of data no newer than this one are deleted with their snapshots, but pinned ones
    (cited as published: territory/serve/citable.py).
    """
    with transaction.atomic():
        state = LayerState.objects.select_for_update().get(theatre_id=build.theatre_id)
        if state.built_version > build.version:
            build.delete()
            forget_unused_holdings(state)
            return False
        # Builds are only deleted here, under the same lock, so this check cannot go stale.
        if not LayerBuild.objects.filter(pk=build.pk).exists():
            return False  # deleted by a build of the same data that finished first
        LayerBuild.objects.filter(theatre_id=build.theatre_id, is_current=True).update(is_current=False)
        LayerBuild.objects.filter(pk=build.pk).update(is_current=True)
        build.is_current = True
        state.built_version = build.version
        if state.version == build.version:
            state.dirty_since = state.dirty_region = state.dirty_at = None
        if state.failed_version <= build.version:
            state.failures = 0  # the last failure's text and time stay, for the admin
        state.save(update_fields=["built_version", "dirty_since", "dirty_region", "dirty_at", "failures"])
        LayerHead.objects.filter(theatre_id=build.theatre_id, version__lte=build.version).delete()
        response_cache.bump(build.theatre_id)  # the timeline lists the build's dates
        LayerBuild.objects.filter(theatre_id=build.theatre_id, is_current=False, version__lte=build.version).exclude(
            pk=build.pk
        ).exclude(pinned=True).delete()
        forget_unused_holdings(state)
    return True


def forget_unused_holdings(state: LayerState) -> None:
    """Delete the holdings no snapshot uses any more, unless a build of newer data is under
    way: it may be about to use some of them (a splice keeps its source build's holdings);
    the swap of that build forgets them instead."""
    if not newer_build_under_way(state):
        storage.forget_unused_holdings(state.theatre_id)
