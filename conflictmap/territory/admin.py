import datetime as dt

from django.contrib import admin
from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, MultiPolygon
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, FloatField, Func
from django.forms.widgets import Script
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.timesince import timesince
from leaflet.admin import LeafletGeoAdmin

from conflictmap.atlas.admin import OneTheatreChosen, TheatreFactionsForm
from conflictmap.atlas.models import Faction, Theatre
from conflictmap.editorial.admin import OneByOneDelete, ReadOnlyAdmin, ReviewedAdmin
from conflictmap.territory.areas import clip_to_theatre
from conflictmap.territory.models import (
    ControlArea,
    ControlChange,
    Front,
    Holding,
    LayerBuild,
    LayerHead,
    LayerSnapshot,
    LayerState,
)
from conflictmap.territory.serve.preview import preview
from conflictmap.territory.theatres import TheatreAdmin  # noqa: F401 (registers the theatres' admin)


class ControlChangeForm(TheatreFactionsForm):
    faction_fields = ("controller",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The map widget submits a Polygon for a single drawn shape; clean_area promotes it.
        self.fields["area"].geom_type = "GEOMETRY"
        # Every ring of every part, holes included (frontend/js/admin-change-map.js).
        self.fields["area"].widget.field_store_class = "L.MultiPolygonStore"
        # The map is made on the window's load event, after the page's module scripts have run:
        # admin-change-map.js defines L.MultiPolygonStore and listens for map:init by then. Pinned
        # here, so a site-wide LEAFLET_CONFIG["LOADEVENT"] cannot make the map before them.
        self.fields["area"].widget.attrs["loadevent"] = "load"

    def clean_area(self):
        area = self.cleaned_data["area"]
        if area is not None and area.geom_type == "Polygon":
            area = MultiPolygon(area, srid=area.srid)
        if area is not None and area.geom_type != "MultiPolygon":
            raise ValidationError(f"Draw an area (polygon), not a {area.geom_type.lower()}.")
        return area

    def clean(self):
        data = super().clean()
        theatre, area, date = data.get("theatre"), data.get("area"), data.get("date")
        if theatre and date and date < theatre.start_date:
            self.add_error("date", f"{theatre.name}'s record starts on {theatre.start_date:%Y-%m-%d}.")
        if theatre and area:
            try:
                clipped = clip_to_theatre(area, theatre.boundary)
            except ValidationError as error:
                self.add_error("area", error)
            else:
                self.repaired = clipped.repaired
        return data


@admin.register(ControlChange)
class ControlChangeAdmin(OneTheatreChosen, ReviewedAdmin, OneByOneDelete, LeafletGeoAdmin):  # delete() marks stale
    form = ControlChangeForm
    # Rows an editor can tell apart: which date, who, how much ground, and the note.
    list_display = ["date", "controller", "confidence", "km2", "note_start", "theatre", "status", "updated_at"]
    list_filter = ["theatre", "status", "controller", "confidence"]
    date_hierarchy = "date"
    filter_horizontal = ["sources"]
    search_fields = ["note", "external_id"]

    def get_queryset(self, request):
        # The area's size from PostGIS, on the ellipsoid; not each polygon's vertices to Python.
        size = Func(F("area"), function="ST_Area", template="ST_Area(%(expressions)s::geography) / 1e6",
                    output_field=FloatField())  # fmt: skip
        return super().get_queryset(request).annotate(area_km2=size)

    @admin.display(description="km²", ordering="area_km2")
    def km2(self, change: ControlChange) -> str:
        return f"{change.area_km2:,.1f}"

    @admin.display(description="note")
    def note_start(self, change: ControlChange) -> str:
        return change.note if len(change.note) <= 60 else f"{change.note[:59]}…"

    class Media:
        # The partition under the map, and the preview: an ES module (it imports dom.js).
        js = [Script("frontend/js/admin-change-map.js", type="module")]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # What admin-change-map.js calls, wherever this site mounts the API and the admin.
        context["admin_map_urls"] = {
            "theatres": reverse("api-theatres"),
            "control": reverse("api-control"),
            # Editing a change: its preview is measured against the map without it (?change=).
            "preview": reverse(f"{self.admin_site.name}:territory_controlchange_preview")
            + (f"?{urlencode({'change': obj.pk})}" if obj is not None and obj.pk else ""),
        }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if getattr(form, "repaired", ""):
            self.message_user(request, form.repaired)

    def get_urls(self):
        preview_url = path("preview/", self.admin_site.admin_view(self.preview), name="territory_controlchange_preview")
        return [preview_url, *super().get_urls()]

    def preview(self, request):
        """POST theatre, date, controller, area (GeoJSON): what saving would move (territory/serve/preview.py)."""
        if request.method != "POST" or not self.has_view_or_change_permission(request):
            raise PermissionDenied
        try:
            theatre = Theatre.objects.get(pk=request.POST.get("theatre"))
            controller = Faction.objects.get(pk=request.POST.get("controller"))
            date = dt.date.fromisoformat(request.POST.get("date", ""))
            area = GEOSGeometry(request.POST.get("area", ""), srid=4326)
        except (Theatre.DoesNotExist, Faction.DoesNotExist, ValueError, GEOSException, GDALException):
            return JsonResponse({"error": "Choose the theatre, the date and the new controller, and draw the area."},
                                status=400)  # fmt: skip
        if area.geom_type == "Polygon":
            area = MultiPolygon(area, srid=4326)
        if area.geom_type != "MultiPolygon":
            return JsonResponse({"error": f"Draw an area (polygon), not a {area.geom_type.lower()}."}, status=400)
        editing = ControlChange.objects.filter(pk=request.GET.get("change") or None, theatre=theatre).first()
        try:
            return JsonResponse(preview(theatre, date, controller, area, editing))
        except ValidationError as error:
            return JsonResponse({"error": " ".join(error.messages)}, status=400)


@admin.register(LayerState)
class LayerStateAdmin(ReadOnlyAdmin):
    """What /healthz reports per theatre, for editors: how far the layers lag, and the last failure."""

    list_display = ["theatre", "version", "built_version", "dirty_since", "waiting", "failures", "last_failure_at",
                    "last_failure"]  # fmt: skip

    @admin.display(description="oldest unbuilt edit")
    def waiting(self, state: LayerState) -> str:
        return f"{timesince(state.dirty_at)} ago" if state.dirty_at else "none"


@admin.register(LayerBuild)
class LayerBuildAdmin(ReadOnlyAdmin):
    list_display = ["theatre", "version", "is_current", "rebuilt_from", "created_at", "duration_ms"]
    list_filter = ["theatre", "is_current"]


@admin.register(LayerHead)
class LayerHeadAdmin(ReadOnlyAdmin):
    list_display = ["theatre", "version", "valid_from", "etag"]
    exclude = ["geojson"]


@admin.register(LayerSnapshot)
class LayerSnapshotAdmin(ReadOnlyAdmin):
    list_display = ["build", "valid_from", "valid_to", "etag"]
    list_filter = ["build__theatre", "build__is_current"]
    exclude = ["geojson"]


@admin.register(ControlArea)
class ControlAreaAdmin(ReadOnlyAdmin, LeafletGeoAdmin):
    list_display = ["snapshot", "controller", "holding_id", "gained_km2", "lost_km2"]  # id: a holding is ~1 MB
    list_filter = ["snapshot__build__theatre", "controller"]


@admin.register(Holding)
class HoldingAdmin(ReadOnlyAdmin, LeafletGeoAdmin):
    list_display = ["pk", "theatre", "controller", "area_km2"]
    list_filter = ["theatre", "controller"]

    def get_queryset(self, request):
        return super().get_queryset(request).defer("geom")  # the list shows no geometry


@admin.register(Front)
class FrontAdmin(ReadOnlyAdmin, LeafletGeoAdmin):
    """Two holdings' shared edge (territory.build.fronts), for looking into a front that looks wrong."""

    list_display = ["pk", "theatre", "one_id", "other_id", "km"]  # ids: a holding is ~1 MB
    list_filter = ["theatre"]
    raw_id_fields = ["one", "other"]
