"""Imports in the admin: upload a file, read its dry run, confirm (imports/plan.py), as
`manage.py import` does; and the editable mapping of other datasets' names to ours."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path

from conflictmap.atlas.models import Theatre
from conflictmap.imports.geojson import ImportRefused
from conflictmap.imports.models import NameMapping, Upload
from conflictmap.imports.plan import READERS, commit, dry_run, format_of


class UploadForm(forms.Form):
    file = forms.FileField(help_text="GeoJSON, KML, KMZ or an ACLED CSV export.")
    theatre = forms.ModelChoiceField(Theatre.objects.all())
    format = forms.ChoiceField(choices=[("", "From the file's extension"), *[(name, name) for name in READERS]],
                               required=False)  # fmt: skip


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    """Add = upload: the dry run is shown, and nothing is imported until it is confirmed."""

    list_display = ["name", "theatre", "user", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def may_import(self, request) -> bool:
        return request.user.has_perms(["events.add_event", "territory.add_controlchange"])

    def get_urls(self):
        return [path("<int:pk>/confirm/", self.admin_site.admin_view(self.confirm), name="imports_upload_confirm"),
                *super().get_urls()]  # fmt: skip

    def add_view(self, request, form_url="", extra_context=None):
        if not self.may_import(request):
            raise PermissionDenied
        form = UploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            file = form.cleaned_data["file"]
            upload = Upload.objects.create(
                name=file.name, data=file.read(), format=form.cleaned_data["format"] or format_of(file.name),
                theatre=form.cleaned_data["theatre"], user=request.user,
            )  # fmt: skip
            return redirect("admin:imports_upload_confirm", upload.pk)
        return self.page(request, "Import a file", {"form": form})

    def confirm(self, request, pk: int):
        if not self.may_import(request):
            raise PermissionDenied
        upload = get_object_or_404(Upload, pk=pk, user=request.user)
        try:  # read again: the data may have changed since the dry run
            result = dry_run(upload.theatre, upload.format, bytes(upload.data))
            if request.method == "POST" and not result.rejected:
                commit(result, request.user, upload.name)
        except ImportRefused as refused:
            upload.delete()
            self.message_user(request, f"Nothing imported from {upload.name}, refused: {refused}", messages.ERROR)
            return redirect("admin:imports_upload_add")
        if request.method == "POST" and not result.rejected:
            upload.delete()
            self.message_user(request, f"{upload.name}: {result.outcome()}")
            return redirect("admin:index")
        return self.page(request, f"Dry run of {upload.name}", {"upload": upload, "result": result})

    def page(self, request, title: str, context: dict):
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **context}
        return TemplateResponse(request, "admin/imports/upload.html", context)


@admin.register(NameMapping)
class NameMappingAdmin(admin.ModelAdmin):
    list_display = ["dataset", "field", "value", "maps_to"]
    list_filter = ["dataset", "field"]
    list_editable = ["maps_to"]
    search_fields = ["value", "maps_to"]
