from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.forms.widgets import Script
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from leaflet.admin import LeafletGeoAdmin

from conflictmap.atlas.admin import OneTheatreChosen, TheatreFactionsForm
from conflictmap.atlas.models import Place
from conflictmap.editorial.admin import OneByOneDelete, ReviewedAdmin
from conflictmap.events.models import Event, TypeWording


class EventForm(TheatreFactionsForm):
    faction_fields = ("actors",)

    def clean(self):
        data = super().clean()
        place, theatre = data.get("place"), data.get("theatre")
        if place and theatre and not theatre.boundary.covers(place.point):
            self.add_error("place", f"{place} lies outside {theatre.name}: choose one of its places, or type the "
                                    "place's name as reported.")  # fmt: skip
        return data


@admin.register(Event)
class EventAdmin(OneTheatreChosen, ReviewedAdmin, OneByOneDelete, LeafletGeoAdmin):
    form = EventForm
    list_display = ["date", "title", "type", "shown_place", "status", "confidence"]
    list_filter = ["theatre", "status", "type", "confidence"]
    date_hierarchy = "date"
    search_fields = ["title", "description", "place_name"]
    autocomplete_fields = ["place"]
    filter_horizontal = ["actors", "sources"]

    class Media:
        # Picking a gazetteer place puts the point on the map: an ES module (it imports dom.js).
        js = [Script("frontend/js/admin-event-map.js", type="module")]

    def formfield_for_dbfield(self, db_field, request=None, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "location":
            # The map is made on the window's load event, after the page's module scripts have
            # run, so admin-event-map.js hears its map:init. Pinned here, so a site-wide
            # LEAFLET_CONFIG["LOADEVENT"] cannot make the map before the script listens.
            field.widget.attrs["loadevent"] = "load"
        return field

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # What admin-event-map.js calls, wherever this site mounts the admin: a place's point,
        # with "{id}" where the place goes (reversed with 0 there, as <int:pk> wants a number).
        before, _, after = reverse(f"{self.admin_site.name}:events_event_place", args=[0]).rpartition("/0/")
        context["admin_map_urls"] = {
            "place": f"{before}/{{id}}/{after}",
            # The theatres, each with its offline basemap, drawn under the form's map as on the
            # public map (frontend/js/basemap.js).
            "theatres": reverse("api-theatres"),
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_urls(self):
        place_url = path("place/<int:pk>/", self.admin_site.admin_view(self.place_point), name="events_event_place")
        return [place_url, *super().get_urls()]

    def place_point(self, request, pk):
        """A gazetteer place's name and point (GeoJSON), for the form's map when the place is picked."""
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        place = get_object_or_404(Place, pk=pk)
        return JsonResponse({"name": str(place), "point": {"type": "Point", "coordinates": place.point.coords}})


@admin.register(TypeWording)
class TypeWordingAdmin(OneTheatreChosen, OneByOneDelete):
    """A war's own words for event types: its map, lists and downloads say them."""

    list_display = ["theatre", "type", "label", "label_ar"]
    list_filter = ["theatre"]
