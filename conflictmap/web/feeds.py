"""/changes/feed/: the corrections log (web/corrections.py) as an Atom feed, for newsrooms'
readers and for anyone who republishes the maps; /t/<slug>/changes/feed/ keeps one theatre's."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from conflictmap.atlas.models import Theatre
from conflictmap.web.corrections import Correction, corrections


class CorrectionsFeed(Feed):
    feed_type = Atom1Feed
    description = "Every edit to a published control change or event, with the editor's note."

    def get_object(self, request, slug: str | None = None):
        return get_object_or_404(Theatre.objects.defer("boundary"), slug=slug) if slug else None

    def title(self, theatre: Theatre | None):
        return f"{settings.SITE_NAME}: corrections{f' to {theatre.name}' if theatre else ''}"

    def link(self, theatre: Theatre | None):
        return reverse("theatre-corrections", args=[theatre.slug]) if theatre else reverse("corrections")

    def items(self, theatre: Theatre | None):
        return corrections(theatre.pk if theatre else None, limit=50)

    def item_title(self, item: Correction):
        return f"{item.kind.capitalize()}: {item.item}"

    def item_description(self, item: Correction):
        changed = f"Changed: {', '.join(item.fields)}. " if item.fields else ""
        return f"{changed}{item.note}"  # the feed framework escapes it

    def item_link(self, item: Correction):
        return f"{reverse('corrections')}#{item.when:%Y%m%dT%H%M%S%f}"

    def item_pubdate(self, item: Correction):
        return item.when

    def item_guid(self, item: Correction):
        return f"{item.when.isoformat()} {item.item}"

    item_guid_is_permalink = False
