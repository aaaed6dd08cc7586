from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from conflictmap.atlas.admin import OneByOneDelete
from conflictmap.atlas.admin_editorial import ReviewedAdmin
from conflictmap.events.models import Event


@admin.register(Event)
class EventAdmin(ReviewedAdmin, OneByOneDelete, LeafletGeoAdmin):
    list_display = ["date", "title", "type", "shown_place", "status", "confidence"]
    list_filter = ["theatre", "status", "type", "confidence"]
    date_hierarchy = "date"
    search_fields = ["title", "description", "place_name"]
    autocomplete_fields = ["place"]
    filter_horizontal = ["actors", "sources"]
