from django.contrib import admin

from conflictmap.imports.models import NameMapping


@admin.register(NameMapping)
class NameMappingAdmin(admin.ModelAdmin):
    list_display = ["dataset", "field", "value", "maps_to"]
    list_filter = ["dataset", "field"]
    list_editable = ["maps_to"]
    search_fields = ["value", "maps_to"]
