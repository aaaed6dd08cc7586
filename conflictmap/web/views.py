"""Reader-facing pages. They only hand the browser a theatre slug; data comes from the API."""

from django.conf import settings
from django.shortcuts import render

from conflictmap.atlas.models import Theatre
from conflictmap.embeds import social
from conflictmap.embeds.views import leaflet_options
from conflictmap.http.language import localized
from conflictmap.web.corrections import corrections


def index(request):
    """The map of `?theatre=` (an embed's "full map" link names it), else of the default theatre
    (DEFAULT_THEATRE), or a how-to page when there is none yet."""
    slug = request.GET.get("theatre") or settings.DEFAULT_THEATRE
    theatre = Theatre.objects.filter(slug=slug).first() or Theatre.objects.first()
    if theatre is None:
        return render(request, "web/empty.html", status=503)
    card = social.card_query(theatre, request.GET.dict(), theatre.name)
    name = localized(theatre, "name")
    context = {"theatre": theatre, "theatre_name": name, "notice": localized(theatre, "description"),
               "site_name": settings.SITE_NAME, "title": name, "leaflet": leaflet_options()}  # fmt: skip
    return render(request, "web/index.html", {**context, **social.page_meta(request, card)})


def corrections_page(request):
    """/changes/: the public corrections log (web/corrections.py), newest first; its Atom feed
    is /changes/feed/. `?theatre=slug` keeps one theatre's."""
    theatre = Theatre.objects.filter(slug=request.GET.get("theatre", "")).first()
    entries = corrections(theatre.pk if theatre else None)
    return render(request, "web/corrections.html", {"entries": entries, "theatre": theatre,
                                                    "site_name": settings.SITE_NAME})  # fmt: skip
