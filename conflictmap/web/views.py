"""Reader-facing pages. They only hand the browser a theatre slug; data comes from the API."""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import render
from django.urls import reverse

from conflictmap.atlas.models import Theatre
from conflictmap.embeds import social
from conflictmap.embeds.codes import public_origin
from conflictmap.web.corrections import corrections


def index(request):
    """The map of `?theatre=` (an embed's "full map" link names it), else of the default theatre
    (DEFAULT_THEATRE), or a how-to page when there is none yet."""
    slug = request.GET.get("theatre") or settings.DEFAULT_THEATRE
    theatre = Theatre.objects.filter(slug=slug).first() or Theatre.objects.first()
    if theatre is None:
        return render(request, "web/empty.html", status=503)
    here = request.build_absolute_uri()
    card = social.card_query(theatre, request.GET.dict(), theatre.name)
    return render(request, "web/index.html", {
        "theatre": theatre, "site_name": settings.SITE_NAME, "page_url": here, "title": theatre.name,
        "oembed": f"{reverse('oembed')}?{urlencode({'url': here, 'format': 'json'})}",
        "card": social.card_url(public_origin(request), card), "card_date": card and card["date"],
    })  # fmt: skip


def corrections_page(request):
    """/changes/: the public corrections log (web/corrections.py), newest first; its Atom feed
    is /changes/feed/. `?theatre=slug` keeps one theatre's."""
    theatre = Theatre.objects.filter(slug=request.GET.get("theatre", "")).first()
    entries = corrections(theatre.pk if theatre else None)
    return render(request, "web/corrections.html", {"entries": entries, "theatre": theatre,
                                                    "site_name": settings.SITE_NAME})  # fmt: skip
