"""Saved map views in the admin: the form, a live preview (the real embed, in an iframe) and
the codes to paste into an article."""

from contextvars import ContextVar

from django import forms
from django.contrib import admin
from django.utils.html import format_html

from conflictmap.atlas.admin import OneTheatreChosen
from conflictmap.embeds import codes, social
from conflictmap.embeds.models import MapView
from conflictmap.events.models import Event
from conflictmap.territory.serve.citable import pin_current

ORIGIN: ContextVar[str] = ContextVar("origin")  # the public origin, for the codes of the page being drawn


LIVE, PINNED = "live", "pinned"


class MapViewForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        choices=Event.Type.choices, required=False, widget=forms.CheckboxSelectMultiple,
        help_text="Event types shown; none ticked: all of them.",
    )  # fmt: skip
    cite = forms.ChoiceField(
        label="Map shown", widget=forms.RadioSelect, initial=LIVE,
        choices=[(LIVE, "Follow corrections: always the map as it is now"),
                 (PINNED, "As published: keep the map as it is at this save (a build of the layers), for citing; "
                          "readers are told when it has been corrected since")],
    )  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.build_id:
            self.fields["cite"].initial = PINNED

    def clean(self):
        data = super().clean()
        if data.get("cite") == PINNED and not self.instance.build_id and data.get("theatre"):
            self.pin = pin_current(data["theatre"].pk)
            if self.pin is None:
                raise forms.ValidationError("This theatre's layers have not been built yet: nothing to cite.")
        return data

    def save(self, commit=True):
        if self.cleaned_data.get("cite") == LIVE:
            self.instance.build = None
        elif getattr(self, "pin", None) is not None:
            self.instance.build = self.pin
        return super().save(commit)

    class Meta:
        model = MapView
        fields = ["title", "slug", "caption", "credit", "language", "theatre", "date", "range_from", "range_to",
                  "latitude", "longitude", "zoom", "factions", "event_types", "cite"]  # fmt: skip


@admin.register(MapView)
class MapViewAdmin(OneTheatreChosen):
    form = MapViewForm
    list_display = ["title", "theatre", "date", "slug", "updated_at"]
    list_filter = ["theatre"]
    search_fields = ["title", "slug", "caption"]
    prepopulated_fields = {"slug": ["title"]}
    filter_horizontal = ["factions"]
    readonly_fields = ["build", "preview", "embed_code"]
    fieldsets = [
        (None, {"fields": ["title", "slug", "caption", "credit", "language", "theatre"]}),
        ("Date", {"fields": ["date", ("range_from", "range_to"), "cite", "build"]}),
        (
            "Frame",
            {
                "fields": [("latitude", "longitude", "zoom")],
                "description": "The map's centre and zoom; all empty: the whole theatre.",
            },
        ),  # fmt: skip
        ("What shows", {"fields": ["factions", "event_types"]}),
        ("In an article", {"fields": ["preview", "embed_code"]}),
    ]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        social.prerender_view(obj)  # its social image, ready for the article's first share

    def changeform_view(self, request, *args, **kwargs):
        token = ORIGIN.set(codes.public_origin(request))  # read-only fields are given the item alone
        try:
            response = super().changeform_view(request, *args, **kwargs)
            return response.render() if hasattr(response, "render") else response  # while ORIGIN is set
        finally:
            ORIGIN.reset(token)

    @admin.display(description="Preview")
    def preview(self, view: MapView) -> str:
        if not view.pk:
            return "Save the view to see it here as readers will."
        return format_html('<iframe src="{}" title="Preview of {}" class="embed-preview" width="640" height="448" '
                           'style="border:1px solid #ccc;max-width:100%"></iframe>',
                           view.get_absolute_url(), view.title)  # fmt: skip

    @admin.display(description="Embed code")
    def embed_code(self, view: MapView) -> str:
        if not view.pk:
            return "Save the view first."
        origin = ORIGIN.get()
        src, title = f"{origin}{view.get_absolute_url()}", view.title
        return format_html(
            '<p>Responsive (the height follows the width):</p><textarea readonly rows="4" cols="90" '
            'class="embed-code">{}</textarea><p>Fixed size:</p><textarea readonly rows="2" cols="90" '
            'class="embed-code">{}</textarea>',
            codes.responsive(src, title, origin), codes.fixed(src, title, 800, 560),
        )  # fmt: skip
