"""GET /api/v1/search/: the map's search box: places of the gazetteer within the theatre, and the
theatre's published events whose title holds the words, to jump the map (and the slider) there.

Case-insensitive substrings, in English or Arabic names; event titles through a trigram index
(events.models), so a query reads a few index pages, not every title of a long war.
"""

from django.db.models import Q
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from conflictmap.atlas.api import theatre_or_404
from conflictmap.atlas.models import Place
from conflictmap.editorial.workflow import Status
from conflictmap.events.models import Event
from conflictmap.http.queries import TheatreQuery, parse

FOUND = 8  # of each kind: a list a reader can scan


class SearchQuery(TheatreQuery):
    q = serializers.CharField(min_length=2, max_length=100, help_text="Words of a place's name or an event's title.")


PLACE = inline_serializer("FoundPlace", {
    "name": serializers.CharField(), "name_ar": serializers.CharField(), "governorate": serializers.CharField(),
    "lat": serializers.FloatField(), "lon": serializers.FloatField(),
})  # fmt: skip
EVENT = inline_serializer("FoundEvent", {
    "id": serializers.IntegerField(), "date": serializers.DateField(), "title": serializers.CharField(),
    "place": serializers.CharField(), "lat": serializers.FloatField(allow_null=True),
    "lon": serializers.FloatField(allow_null=True),
})  # fmt: skip


@extend_schema(parameters=[SearchQuery], responses=inline_serializer("Found", {
    "places": serializers.ListField(child=PLACE, help_text="Largest first."),
    "events": serializers.ListField(child=EVENT, help_text="Newest first; lat and lon null for an event without "
                                    "a location."),
}))  # fmt: skip
@api_view(["GET"])
def search(request):
    """Places and events matching `q`, at most eight of each."""
    query = parse(SearchQuery, request.query_params)
    theatre = theatre_or_404(query["theatre"])
    words = query["q"].strip()
    named = Q(name__icontains=words) | Q(name_ar__icontains=words)
    places = Place.objects.filter(named, point__coveredby=theatre.boundary).order_by("-population", "name")[:FOUND]
    events = (Event.objects.filter(theatre=theatre, status=Status.PUBLISHED, title__icontains=words)
              .select_related("place").order_by("-date", "-id")[:FOUND])  # fmt: skip
    return Response({
        "places": [{"name": place.name, "name_ar": place.name_ar, "governorate": place.governorate,
                    "lat": place.point.y, "lon": place.point.x} for place in places],
        "events": [{"id": event.pk, "date": event.date, "title": event.title, "place": event.shown_place,
                    "lat": event.location.y if event.location else None,
                    "lon": event.location.x if event.location else None} for event in events],
    })  # fmt: skip
