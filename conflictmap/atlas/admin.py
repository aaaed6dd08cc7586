from django.contrib import admin
from django.db import models
from leaflet.admin import LeafletGeoAdmin

from conflictmap.atlas.models import Faction, Place, Source, Theatre
from conflictmap.editorial.admin import OneByOneDelete, RecordedAdmin

# A theatre's outline and a faction's name or colour are in every built layer: territory/stale.py
# marks the layers stale on any save of them, from here, an import, a script or a migration.


@admin.register(Theatre)
class TheatreAdmin(LeafletGeoAdmin):
    list_display = ["name", "slug", "start_date"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Faction)
class FactionAdmin(RecordedAdmin, OneByOneDelete):
    list_display = ["name", "short_name", "kind", "color", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "name_ar", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Place)
class PlaceAdmin(OneByOneDelete, LeafletGeoAdmin):
    list_display = ["name", "name_ar", "governorate", "population"]
    search_fields = ["name", "name_ar"]
    list_filter = ["governorate"]


@admin.register(Source)
class SourceAdmin(RecordedAdmin, OneByOneDelete):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # a bare domain typed is https
    list_display = ["title", "publisher", "published_on", "url"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"


class OneTheatreChosen(admin.ModelAdmin):
    """For items of a theatre: with a single theatre on the site, a new item starts in it."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        theatres = list(Theatre.objects.values_list("pk", flat=True)[:2])
        if len(theatres) == 1:
            initial.setdefault("theatre", theatres[0])
        return initial
