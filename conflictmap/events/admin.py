from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from conflictmap.atlas.admin import OneByOneDelete
from conflictmap.atlas.models import Status
from conflictmap.events.models import Event


class EventForm(LeafletGeoAdmin.form):
    def clean(self):
        data = super().clean()
        if data.get("status") == Status.PUBLISHED and not data.get("sources"):
            self.add_error("sources", "A published event needs at least one source.")
        return data


@admin.register(Event)
class EventAdmin(OneByOneDelete, LeafletGeoAdmin):
    form = EventForm
    list_display = ["date", "title", "type", "shown_place", "status", "confidence"]
    list_filter = ["theatre", "status", "type", "confidence"]
    date_hierarchy = "date"
    search_fields = ["title", "description", "place_name"]
    autocomplete_fields = ["place"]
    filter_horizontal = ["actors", "sources"]
