"""Opening a new war in the admin: its outline from a country of the bundled Natural Earth set,
an uploaded boundary or one drawn on the map; its start date; and its baseline, "no data" or a
first control change (a faction holding all of it), sent to review like any other change.

Here, not in atlas/admin.py, because the baseline is a control change (territory's).
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import transaction
from leaflet.admin import LeafletGeoAdmin

from conflictmap.atlas import outlines
from conflictmap.atlas.models import Faction, Theatre
from conflictmap.editorial import history
from conflictmap.editorial.workflow import Status
from conflictmap.territory.models import ControlChange

ADD_FIELDS = ["name", "slug", "name_ar", "start_date", "country", "boundary_file", "boundary", "baseline",
              "description", "description_ar", "attribution"]  # fmt: skip


class NewTheatreForm(forms.ModelForm):
    country = forms.ChoiceField(required=False, help_text="Its outline from Natural Earth's countries (1:10m, "
                                "simplified): or upload one, or draw it on the map below.")  # fmt: skip
    boundary_file = forms.FileField(
        required=False,
        label="or a boundary file",
        help_text="GeoJSON, KML, GeoPackage or a zipped shapefile: its polygons, joined.",
    )
    baseline = forms.ModelChoiceField(
        Faction.objects.exclude(kind=Faction.Kind.STATUS), required=False, empty_label="No data: nothing held yet",
        help_text="Who holds all of it on the start date: a first control change, sent to review for a second "
                  "editor to publish. Empty: the map starts as “no data”, for control changes to fill.",
    )  # fmt: skip

    class Meta:
        model = Theatre
        fields = ["slug", "name", "name_ar", "start_date", "boundary", "description", "description_ar", "attribution"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = [("", "—"), *outlines.countries()]
        self.fields["boundary"].required = False
        self.fields["boundary"].geom_type = "GEOMETRY"  # one drawn shape comes as a Polygon

    def clean(self):
        data = super().clean()
        given = [name for name in ("country", "boundary_file", "boundary") if data.get(name)]
        if len(given) != 1:
            raise ValidationError("Give the outline one way: a country, a boundary file or a shape drawn on the map.")
        if data.get("country"):
            properties, data["boundary"] = outlines.country(data["country"])
            data["name_ar"] = data.get("name_ar") or properties.get("name_ar", "")
        elif data.get("boundary_file"):
            try:
                data["boundary"] = outlines.uploaded(data["boundary_file"])
            except ValidationError as error:
                self.add_error("boundary_file", error)
        else:
            data["boundary"] = outlines.drawn(data["boundary"])
        return data


def open_theatre(theatre: Theatre, baseline: Faction | None, user) -> ControlChange | None:
    """After a new theatre is saved: its baseline faction takes part in it and, with a control
    change holding the whole outline from the start date, goes to review. The layers build at
    once either way (territory/stale.py marks a new theatre stale)."""
    if baseline is None:
        return None
    baseline.theatres.add(theatre)
    with history.recording(user, "The new theatre's baseline"):
        return ControlChange.objects.create(
            theatre=theatre, date=theatre.start_date, controller=baseline, area=theatre.boundary,
            status=Status.REVIEW, submitted_by=user, note=f"Baseline: {baseline.name} holds all of {theatre.name}.",
        )  # fmt: skip


@admin.register(Theatre)
class TheatreAdmin(LeafletGeoAdmin):
    list_display = ["name", "slug", "start_date"]
    prepopulated_fields = {"slug": ["name"]}

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = NewTheatreForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        return ADD_FIELDS if obj is None else super().get_fields(request, obj)

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            baseline = open_theatre(obj, form.cleaned_data.get("baseline"), request.user)
            if baseline is not None:
                self.message_user(request, f"Its baseline, {baseline.controller} holding all of it, is in review.")
