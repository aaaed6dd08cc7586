"""Imports in the admin: upload a file, read its dry run, confirm (imports/plan.py), as
`manage.py import` does, each step run by a worker (imports/tasks.py) with its progress on the
page; and the editable mapping of other datasets' names to ours."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from conflictmap.atlas.models import Theatre
from conflictmap.imports import tasks
from conflictmap.imports.models import NameMapping, Upload
from conflictmap.imports.plan import READERS, expected_rows, format_of


class UploadForm(forms.Form):
    file = forms.FileField(help_text="GeoJSON, KML, KMZ or an ACLED CSV export.")
    theatre = forms.ModelChoiceField(Theatre.objects.all())
    format = forms.ChoiceField(choices=[("", "From the file's extension"), *[(name, name) for name in READERS]],
                               required=False)  # fmt: skip


@admin.register(Upload)
class UploadAdmin(admin.ModelAdmin):
    """Add = upload: a worker checks it (imports/tasks.py) while its page shows how far it has read,
    then the dry run is shown, and nothing is imported until it is confirmed."""

    list_display = ["opened", "theatre", "created_at", "state"]
    list_display_links = None  # each opens on its own page (confirm), not a change form of its bytes

    def get_queryset(self, request):  # one's own uploads, as only their uploader may confirm them
        return super().get_queryset(request).filter(user=request.user)

    @admin.display(description="file", ordering="name")
    def opened(self, upload: Upload):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:imports_upload_confirm", args=[upload.pk]), upload.name
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_module_permission(self, request):  # whoever may import finds the uploads in the menu
        return self.may_import(request)

    def has_view_permission(self, request, obj=None):
        return self.may_import(request)

    def has_add_permission(self, request):
        return self.may_import(request)

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
            kind, data = form.cleaned_data["format"] or format_of(file.name), file.read()
            upload = Upload.objects.create(name=file.name, data=data, format=kind, theatre=form.cleaned_data["theatre"],
                                           user=request.user, expected_rows=expected_rows(kind, data))  # fmt: skip
            tasks.start(upload)
            return redirect("admin:imports_upload_confirm", upload.pk)
        return self.page(request, "Import a file", {"form": form})

    def confirm(self, request, pk: int):
        """The upload's page: its progress while a worker reads it, then its dry run to confirm,
        then its import's progress; a refusal or the outcome as a message."""
        if not self.may_import(request):
            raise PermissionDenied
        upload = get_object_or_404(Upload, pk=pk, user=request.user)
        State = Upload.State
        if request.method == "POST" and upload.state == State.CHECKED and importable(upload.summary):
            upload.state = State.IMPORTING
            upload.save(update_fields=["state"])
            tasks.start(upload)
            return redirect("admin:imports_upload_confirm", upload.pk)
        if upload.state == State.REFUSED:
            refused = upload.summary["refused"]
            self.message_user(request, f"Nothing imported from {upload.name}, refused: {refused}", messages.ERROR)
            return redirect("admin:imports_upload_add")
        if upload.state == State.IMPORTED:
            self.message_user(request, f"The import of {upload.name} is done. {upload.summary['outcome']}")
            return redirect("admin:index")
        context = {"upload": upload, "summary": upload.summary, "read": f"{tasks.rows_read(upload):,}",
                   "expected": f"{upload.expected_rows or 0:,}", "importable": importable(upload.summary)}  # fmt: skip
        title = f"{'Importing' if upload.state == State.IMPORTING else 'Dry run of'} {upload.name}"
        return self.page(request, title, context)

    def page(self, request, title: str, context: dict):
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "title": title, **context}
        return TemplateResponse(request, "admin/imports/upload.html", context)


@admin.register(NameMapping)
class NameMappingAdmin(admin.ModelAdmin):
    list_display = ["dataset", "field", "value", "maps_to"]
    list_filter = ["dataset", "field"]
    list_editable = ["maps_to"]
    search_fields = ["value", "maps_to"]


def importable(summary: dict) -> bool:
    counts = summary.get("counts", {})
    return not counts.get("rejected") and any(counts.get(action) for action in ("create", "update", "correct"))
