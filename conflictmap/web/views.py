"""Reader-facing pages. They only hand the browser a theatre slug; data comes from the API."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from conflictmap.atlas.models import Theatre
from conflictmap.embeds import social
from conflictmap.embeds.codes import public_origin
from conflictmap.embeds.views import leaflet_options
from conflictmap.http.language import localized
from conflictmap.web.corrections import corrections
from conflictmap.web.theatres import listed


def landing(request):
    """/: the wars this site follows; straight into the only one when there is one. An old
    address, `/?theatre=slug&…`, goes to that theatre's page with the rest of its state."""
    query = request.GET.copy()
    slug = query.pop("theatre", [""])[-1]
    if slug and not Theatre.objects.filter(slug=slug).exists():
        raise Http404(f"No theatre {slug!r}.")
    if not slug:
        theatres = list(Theatre.objects.values_list("slug", flat=True)[:2])
        if not theatres:
            return render(request, "web/empty.html", status=503)
        if len(theatres) > 1:
            return render(request, "web/landing.html", {"theatres": listed(public_origin(request)),
                                                        "site_name": settings.SITE_NAME})  # fmt: skip
        slug = theatres[0]
    return redirect(f"{reverse('theatre', args=[slug])}{'?' + query.urlencode() if query else ''}")


def theatre_page(request, slug: str):
    """The map of one theatre: /t/<slug>/, its state (date, view, filters) in the query string."""
    theatre = get_object_or_404(Theatre, slug=slug)
    card = social.card_query(theatre, request.GET.dict(), theatre.name)
    name = localized(theatre, "name")
    context = {"theatre": theatre, "theatre_name": name, "notice": localized(theatre, "description"),
               "site_name": settings.SITE_NAME, "title": name, "leaflet": leaflet_options(theatre),
               "several": Theatre.objects.exclude(pk=theatre.pk).exists()}  # fmt: skip
    return render(request, "web/index.html", {**context, **social.page_meta(request, card)})


def corrections_page(request, slug: str | None = None):
    """/changes/: the public corrections log (web/corrections.py) of every theatre, newest first;
    /t/<slug>/changes/ keeps one theatre's. Each has its Atom feed at feed/."""
    slug = slug or request.GET.get("theatre")  # the older address of one theatre's log
    theatre = Theatre.objects.defer("boundary").filter(slug=slug).first() if slug else None
    if slug and theatre is None:
        raise Http404(f"No theatre {slug!r}.")
    entries = corrections(theatre.pk if theatre else None)
    return render(request, "web/corrections.html", {"entries": entries, "theatre": theatre,
                                                    "site_name": settings.SITE_NAME})  # fmt: skip
