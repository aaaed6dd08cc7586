"""The social image (Open Graph and Twitter card) of a map page or an embed: the card of that
view at that date (conflictmap/cards/, GET /api/v1/card.png), and its pre-drawing for saved
views whenever their theatre's layers are published."""

import datetime as dt
from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse

from conflictmap.atlas.models import Theatre
from conflictmap.cards.tasks import render_card
from conflictmap.embeds.codes import public_origin
from conflictmap.embeds.models import MapView
from conflictmap.territory.serve.citable import latest_date

WIDTH, HEIGHT = 1200, 630


def card_query(theatre: Theatre, state: dict, title: str, language: str = "en", build=None) -> dict | None:
    """The card's parameters for a view in URL state (url-state.js's names), of the build it
    cites if any; None if there is no layer to draw yet."""
    try:
        date = dt.date.fromisoformat(state["date"]) if state.get("date") else latest_date(theatre.pk, build)
    except ValueError:  # a malformed date in an address: the latest, as the map itself shows
        date = latest_date(theatre.pk, build)
    if date is None:
        return None
    query = {"theatre": theatre.slug, "date": str(date), "title": title, "lang": language}
    query.update({name: state[name] for name in ("factions", "build") if state.get(name)})
    return query


def page_meta(request, card: dict | None) -> dict:
    """What a map or embed page gives those who share it: its address, its oEmbed discovery link
    and its card (social_meta.html), from the card's parameters (card_query or view_card)."""
    here = request.build_absolute_uri()
    return {
        "page_url": here, "oembed": f"{reverse('oembed')}?{urlencode({'url': here, 'format': 'json'})}",
        "card": card_url(public_origin(request), card), "card_date": card and card["date"],
    }  # fmt: skip


def card_url(origin: str, query: dict | None) -> str | None:
    return f"{origin}{reverse('api-card')}?{urlencode(query)}" if query else None


def view_card(view: MapView) -> dict | None:
    return card_query(view.theatre, view.state(), view.title, view.language, view.build)


def prerender(sender, theatre_id: int, build, **kwargs) -> None:
    """Draw the cards of the theatre's saved views that follow the layers, in a worker, once
    the build that changed them is committed (robust: a broker down costs a card, not the build)."""
    for view in MapView.objects.filter(theatre_id=theatre_id, build__isnull=True).select_related("theatre"):
        prerender_view(view)


def enqueuer(view: MapView, query: dict):
    """A function that asks a worker to draw the view's card (`query`: its view_card)."""

    def enqueue() -> None:
        factions = query["factions"].split(",") if "factions" in query else None
        render_card.delay(view.theatre_id, query["date"], title=view.title, factions=factions,
                          language=view.language, build=view.build.version if view.build else None)  # fmt: skip

    return enqueue


def prerender_view(view: MapView) -> None:
    """Draw a saved view's card in a worker once its save is committed (robust, as above)."""
    if query := view_card(view):
        transaction.on_commit(enqueuer(view, query), robust=True)
