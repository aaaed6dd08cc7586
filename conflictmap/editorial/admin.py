"""The admin side of the workflow (editorial/workflow.py), of optimistic locking
(editorial/locking.py) and of revisions (editorial/history.py), and the admin classes every
app's admin shares.

VersionedForm carries the version an editor opened; a save after someone else's is refused
with a list of what changed meanwhile (from the revision of that version), the editor's input
kept on the page. ReviewedAdmin shows the status read-only and the moves the user may make as buttons
beside Save, with a comment box: the edits are saved first, then the move is made.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.safestring import mark_safe

from conflictmap.editorial import history, proposals, workflow
from conflictmap.editorial.locking import ConflictError
from conflictmap.editorial.models import Proposal, Revision
from conflictmap.lib import shape_diff


class VersionedForm(forms.ModelForm):
    """A model form for a Versioned model that refuses to save over someone else's save."""

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        data = super().clean()
        loaded = data.get("loaded_version")
        if self.instance.pk and loaded is None:  # without it, it could save over anyone's edit
            raise ValidationError(
                "This form did not say which version of the item it was opened at (an old page, or a "
                "script posting to the admin?), so it could save over someone else's edit: nothing was "
                "saved. Open the item again and make your changes there."
            )
        if self.instance.pk:
            stored = type(self.instance)._base_manager.get(pk=self.instance.pk)
            if stored.version != loaded:
                raise ValidationError(self.conflict_message(stored, loaded))
            self.instance.version = loaded  # the save checks it again, in the database
        return data

    def conflict_message(self, stored, loaded: int) -> str:
        """What changed since the version the editor opened, from that version's revision."""
        then = history.revisions_of(type(stored), stored.pk).filter(version=loaded).first()
        changes = history.differences(then.data, history.fields_of(stored), type(stored)) if then else []
        changed = [
            f"{self.fields[name].label if name in self.fields else name}: “{before[:80]}” → “{after[:80]}”"
            for name, before, after in changes
        ]
        listed = "; ".join(changed) or "see its History"
        return (
            f"Someone else saved this item after you opened it (version {stored.version} now). What changed "
            f"meanwhile: {listed}. Your edits are still below and were not saved: reload the item in another "
            f"tab, compare, and make your changes again there."
        )


class RecordedAdmin(admin.ModelAdmin):
    """For Recorded and Versioned models: each save is one revision with the editor's reason;
    History lists the revisions with what each changed, and restores any of them."""

    form = VersionedForm
    change_form_template = "admin/editorial_change_form.html"
    object_history_template = "admin/revisions.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            public, internal = (request.POST.get(name, "").strip() for name in ("_reason", "_internal"))
            with transaction.atomic(), history.recording(request.user, public, internal):
                return super().changeform_view(request, object_id, form_url, extra_context)
        except ConflictError as conflict:  # saved by someone else between the form's check and the save
            self.message_user(request, f"{conflict} Open it again to see theirs.", messages.ERROR)
            return HttpResponseRedirect(request.path)
        except proposals.CorrectionError as refused:  # nothing was saved
            self.message_user(request, str(refused), messages.ERROR)
            return HttpResponseRedirect(request.path)

    def delete_view(self, request, object_id, extra_context=None):
        with transaction.atomic(), history.recording(request.user, "Deleted in the admin"):
            return super().delete_view(request, object_id, extra_context)

    def delete_queryset(self, request, queryset):
        with history.recording(request.user, "Deleted in the admin"):
            super().delete_queryset(request, queryset)

    def history_view(self, request, object_id, extra_context=None):
        item = self.get_object(request, object_id)
        if not self.has_view_or_change_permission(request, item):
            raise PermissionDenied
        if request.method == "POST" and "restore" in request.POST:
            if item is not None and not self.has_change_permission(request, item):
                raise PermissionDenied
            chosen = history.revisions_of(self.model, object_id).get(pk=request.POST["restore"])
            note = (
                request.POST.get("_reason", "").strip()
                or f"Restored the revision of {chosen.created_at:%Y-%m-%d %H:%M}"
            )
            if item is not None and proposals.needs_review(getattr(item, "status", "")):
                # A published item's old version is a correction like any other: a second person approves it.
                m2m = {field.name: chosen.data.get(field.name, []) for field in item._meta.many_to_many}
                proposals.propose(request.user, history.as_of(item, chosen.data), item.version, m2m, note, "")
                self.message_user(request, "The old version is proposed as a correction: readers see the published "
                                  "one until a publisher other than you approves it.", messages.WARNING)  # fmt: skip
            else:
                history.restore(chosen, request.user, note)
                self.message_user(request, f"Restored the revision of {chosen.created_at:%Y-%m-%d %H:%M}.")
            return HttpResponseRedirect(request.path)
        revisions = list(history.revisions_of(self.model, object_id).select_related("user"))
        rows = [
            (revision, history.differences(older.data if older else None, revision.data, self.model), [
                mark_safe(shape_diff.sketch(older.data.get(name), value))  # numbers and fixed colours only
                for name, value in revision.data.items()
                if older and shape_diff.is_shape(value) and older.data.get(name) != value
            ])
            for revision, older in zip(revisions, [*revisions[1:], None], strict=True)
        ]  # fmt: skip
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "object": item, "rows": rows,
            "proposals": proposals.proposals_of(item) if item is not None else [],
            "title": f"History of {item}" if item else "History", "can_restore": self.has_change_permission(request),
            **(extra_context or {}),
        }  # fmt: skip
        return TemplateResponse(request, self.object_history_template, context)


class ReviewedAdmin(RecordedAdmin):
    """For control changes and events: status by workflow moves (editorial/workflow.py)."""

    editorial_fields = ["status", "submitted_by", "status_comment", "version"]

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.editorial_fields]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        moves = workflow.available(request.user, obj) if obj is not None else []
        context["workflow_moves"] = [(name, workflow.MOVES[name]) for name in moves]
        waiting = proposals.pending_for(obj) if obj is not None and obj.pk else None
        if waiting is not None:  # what it would change, and whether this user may decide on it
            context.update(proposal=waiting, proposal_changes=history.differences(
                history.fields_of(obj), waiting.data, self.model
            ), can_decide=workflow.can_publish(request.user, obj) and waiting.proposed_by_id != request.user.pk,
                correction_url=reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_correction",
                                       args=[obj.pk]))  # fmt: skip
        return super().render_change_form(request, context, add, change, form_url, obj)

    def save_model(self, request, obj, form, change):
        """An edit of a published item is kept aside for a second person (editorial/proposals.py)."""
        if change and proposals.needs_review(obj.status) and set(form.changed_data) - {"loaded_version"}:
            m2m = {field.name: [related.pk for related in form.cleaned_data[field.name]]
                   for field in obj._meta.many_to_many if field.name in form.cleaned_data}  # fmt: skip
            notes = (request.POST.get(name, "").strip() for name in ("_reason", "_internal"))
            base = form.cleaned_data.get("loaded_version") or obj.version
            request.proposal = proposals.propose(request.user, obj, base, m2m, *notes)
            return
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        if getattr(request, "proposal", None) is not None:
            self.message_user(request, "Your correction is kept for review: readers see the published version "
                              "until a publisher other than you approves it.", messages.WARNING)  # fmt: skip
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def get_urls(self):
        decide = path("<path:object_id>/correction/", self.admin_site.admin_view(self.decide_correction),
                      name=f"{self.opts.app_label}_{self.opts.model_name}_correction")  # fmt: skip
        return [decide, *super().get_urls()]

    def decide_correction(self, request, object_id):
        """POST _correction=approve|reject (and _move_comment): a publisher's decision on the waiting one."""
        item = self.get_object(request, object_id)
        if request.method != "POST" or item is None or not self.has_change_permission(request, item):
            raise PermissionDenied
        waiting = proposals.pending_for(item)
        comment = request.POST.get("_move_comment", "")
        change_page = reverse(f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_change",
                              args=[item.pk])  # fmt: skip
        try:
            if waiting is None:
                raise proposals.CorrectionError("No correction waits for review.")
            if request.POST.get("_correction") == "approve":
                proposals.approve(request.user, waiting, comment)
                self.message_user(request, "Correction approved: readers see it now.", messages.SUCCESS)
            else:
                proposals.reject(request.user, waiting, comment)
                self.message_user(request, "Correction rejected; the published version stays.", messages.SUCCESS)
        except proposals.CorrectionError as refused:
            self.message_user(request, str(refused), messages.ERROR)
        return HttpResponseRedirect(change_page)

    def save_related(self, request, form, formsets, change):
        if getattr(request, "proposal", None) is not None:
            return  # kept aside: the live item's sources stay as published too
        super().save_related(request, form, formsets, change)  # sources too, which publishing needs
        if name := request.POST.get("_move"):
            try:
                workflow.move(request.user, form.instance, name, request.POST.get("_move_comment", ""))
            except workflow.WorkflowError as refused:
                self.message_user(request, f"Saved, but not moved on: {refused}", messages.ERROR)
            else:
                self.message_user(request, f"{workflow.MOVES[name].label}: done.", messages.SUCCESS)


class OneByOneDelete(admin.ModelAdmin):
    """ "Delete selected" through each object's delete(), so what a model does when it is deleted
    (a revision, cached event lists retired, layers marked stale) is done for each one."""

    def delete_queryset(self, request, queryset):
        for item in queryset:
            item.delete()


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


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    """Every correction proposed, for searching across items; each item's page decides on its own."""

    list_display = ["proposed_at", "content_type", "object_id", "proposed_by", "outcome", "decided_by", "note"]
    list_filter = ["outcome", "content_type"]
