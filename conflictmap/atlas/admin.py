from django.contrib import admin
from django.db import models
from django.db.models import Q
from leaflet.admin import LeafletGeoAdmin

from conflictmap.atlas.models import Faction, Place, Source, Theatre
from conflictmap.editorial.admin import OneByOneDelete, RecordedAdmin, VersionedForm

# A theatre's outline and a faction's name or colour are in every built layer: territory/stale.py
# marks the layers stale on any save of them, from here, an import, a script or a migration.


# Theatres are registered by territory/theatres.py: opening one makes its baseline control change.


@admin.register(Faction)
class FactionAdmin(RecordedAdmin, OneByOneDelete):
    list_display = ["name", "short_name", "kind", "color", "parent"]
    list_filter = ["kind", "theatres"]
    filter_horizontal = ["theatres"]
    search_fields = ["name", "name_ar", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


class InTheatre(admin.SimpleListFilter):
    """The gazetteer holds every war's places: an editor looks within one."""

    title = "theatre"
    parameter_name = "theatre"

    def lookups(self, request, model_admin):
        return list(Theatre.objects.values_list("slug", "name"))

    def queryset(self, request, queryset):
        return within(queryset, Theatre.objects.filter(slug=self.value()).first() if self.value() else None)


def within(places, theatre: Theatre | None):
    return places.filter(point__coveredby=theatre.boundary) if theatre else places


@admin.register(Place)
class PlaceAdmin(OneByOneDelete, LeafletGeoAdmin):
    list_display = ["name", "name_ar", "governorate", "population"]
    search_fields = ["name", "name_ar"]
    list_filter = [InTheatre, "governorate"]

    def get_search_results(self, request, queryset, search_term):
        """An event form's Place box (Django's autocomplete) sends its theatre's id
        (frontend/js/admin-event-map.js): the places found are that war's (none for a war that
        is no more)."""
        theatre_id = request.GET.get("theatre_id", "")
        if theatre_id.isascii() and theatre_id.isdigit():
            theatre = Theatre.objects.filter(pk=theatre_id).first()
            queryset = within(queryset, theatre) if theatre else queryset.none()
        return super().get_search_results(request, queryset, search_term)


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


class TheatreFactionsForm(VersionedForm):
    """For items of a theatre that name factions (`faction_fields`): once the theatre is known,
    the choices are its factions (and whatever the item already names); a faction that takes no
    part in the chosen theatre is refused, saying how to add it."""

    faction_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        theatre = self.instance.theatre_id or self.initial.get("theatre")
        if not theatre:
            return
        for name in self.faction_fields:
            named = self.initial.get(name) or []
            named = [getattr(item, "pk", item) for item in (named if isinstance(named, list | tuple) else [named])]
            field = self.fields[name]
            field.queryset = Faction.objects.filter(Q(theatres=theatre) | Q(pk__in=named)).distinct()  # type: ignore[attr-defined]

    def clean(self):
        data = super().clean()
        theatre = data.get("theatre")
        if theatre is None:
            return data
        for name in self.faction_fields:
            chosen = data.get(name)
            chosen = [chosen] if isinstance(chosen, Faction) else list(chosen or [])
            taking_part = set(theatre.factions.filter(pk__in=[faction.pk for faction in chosen]))
            outside = [faction.name for faction in chosen if faction not in taking_part]
            if outside:
                self.add_error(name, f"{', '.join(outside)} take{'s' * (len(outside) == 1)} no part in {theatre.name}: "
                                     "add the theatre to the faction first (Factions › its theatres).")  # fmt: skip
        return data
