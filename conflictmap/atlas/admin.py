from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from conflictmap.atlas.admin_editorial import RecordedAdmin
from conflictmap.atlas.models import Faction, Place, Revision, Source, Theatre
from conflictmap.territory.models import mark_dirty


@admin.register(Theatre)
class TheatreAdmin(LeafletGeoAdmin):
    list_display = ["name", "slug", "start_date"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"boundary", "start_date"} & set(form.changed_data):
            mark_dirty(obj.pk, obj.start_date)  # every snapshot is clipped to the boundary


class OneByOneDelete(admin.ModelAdmin):
    """ "Delete selected" through each object's delete(), which retires cached event lists."""

    def delete_queryset(self, request, queryset):
        for item in queryset:
            item.delete()


@admin.register(Faction)
class FactionAdmin(RecordedAdmin, OneByOneDelete):
    list_display = ["name", "short_name", "kind", "color", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "name_ar", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Names and colours are baked into the built GeoJSON of every theatre.
        if change and {"slug", "name", "short_name", "color", "kind"} & set(form.changed_data):
            for theatre in Theatre.objects.all():
                mark_dirty(theatre.pk, theatre.start_date)


@admin.register(Place)
class PlaceAdmin(OneByOneDelete, LeafletGeoAdmin):
    list_display = ["name", "name_ar", "governorate", "population"]
    search_fields = ["name", "name_ar"]
    list_filter = ["governorate"]


@admin.register(Source)
class SourceAdmin(RecordedAdmin, OneByOneDelete):
    list_display = ["title", "publisher", "published_on", "url"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published_on"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Tables written by the app alone (builds, revisions): visible for inspection only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Revision)
class RevisionAdmin(ReadOnlyAdmin):
    """Every recorded edit, for searching across items; each item's History restores them."""

    list_display = ["created_at", "content_type", "object_id", "action", "user", "comment"]
    list_filter = ["content_type", "action"]
    search_fields = ["comment", "user__username"]
