"""A Redis cache in front of API answers computed per request (event lists, timelines).

When an article goes viral, thousands of readers ask for the same month of events. Keys carry
a generation per theatre that every committed change to what those answers show bumps
(events.models.Event, atlas sources and factions, a new current build), so a cached answer is
never served after the data changed; entries also expire after RESPONSE_CACHE_SECONDS.
"""

import hashlib
import json

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import translation


def _generation_key(theatre_id: int) -> str:
    return f"api-generation:{theatre_id}"


def bump(theatre_id: int | None = None) -> None:
    """After the current transaction commits, retire every cached answer about the theatre
    (None: about every theatre, for sources and factions, which any theatre may show)."""

    def retire() -> None:
        key = _generation_key(theatre_id) if theatre_id is not None else "api-generation:all"
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, timeout=None)

    transaction.on_commit(retire, robust=True)


def generation(theatre_id: int) -> tuple[int, int]:
    """The theatre's generation and the all-theatres one: what cached answers about it depend on."""
    found = cache.get_many([_generation_key(theatre_id), "api-generation:all"])
    return found.get(_generation_key(theatre_id), 0), found.get("api-generation:all", 0)


def cached(theatre_id: int, request, reads: dict, compute, variant: str = ""):
    """The answer `compute()` gives for this request, from the cache when it is there.

    `reads`: the query parameters the answer depends on, as the view parsed them. Only they make
    the key, so a parameter the endpoint ignores (a typo, a cache-buster, a flood of random ones)
    neither misses the cache nor adds an entry. `variant` names anything else the answer depends
    on (e.g. the current build)."""
    seconds = settings.RESPONSE_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    own, every = generation(theatre_id)
    canonical = json.dumps(reads, sort_keys=True, default=str)
    language = translation.get_language()  # labels and sentences are said in it (http/language.py)
    fingerprint = hashlib.sha256(f"{request.path}?{canonical}#{variant}@{language}".encode()).hexdigest()[:32]
    key = f"api:{theatre_id}:{own}:{every}:{fingerprint}"
    answer = cache.get(key)
    if answer is None:
        answer = compute()
        cache.set(key, answer, timeout=seconds)
    return answer
