from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path
from leaflet.admin import LeafletGeoAdmin

from conflictmap.atlas.models import Place
from conflictmap.editorial.admin import OneByOneDelete, ReviewedAdmin
from conflictmap.events.models import Event


@admin.register(Event)
class EventAdmin(ReviewedAdmin, OneByOneDelete, LeafletGeoAdmin):
    list_display = ["date", "title", "type", "shown_place", "status", "confidence"]
    list_filter = ["theatre", "status", "type", "confidence"]
    date_hierarchy = "date"
    search_fields = ["title", "description", "place_name"]
    autocomplete_fields = ["place"]
    filter_horizontal = ["actors", "sources"]

    class Media:
        js = ["frontend/js/admin-event-map.js"]  # picking a gazetteer place puts the point on the map

    def get_urls(self):
        place_url = path("place/<int:pk>/", self.admin_site.admin_view(self.place_point), name="events_event_place")
        return [place_url, *super().get_urls()]

    def place_point(self, request, pk):
        """A gazetteer place's name and point (GeoJSON), for the form's map when the place is picked."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        place = get_object_or_404(Place, pk=pk)
        return JsonResponse({"name": str(place), "point": {"type": "Point", "coordinates": place.point.coords}})
