"""Revisions: every create, edit, status change and delete of a control change, an event, a
source or a faction is kept, with who, when, all its fields (geometry included) and why.

Models that inherit Recorded record a Revision on each save and delete. Inside `recording(user,
comment)` (the admin wraps each form in one) the revisions of a request are written when it
ends, so many-to-many fields (sources) are recorded as saved; outside one (scripts, the
shell), each save is recorded at once, with no user. `restore` brings any revision back as a
new save, itself recorded, so nothing is lost by restoring either.
"""

import contextvars
import json
import uuid
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils.encoding import is_protected_type

from conflictmap.editorial.models import Revision
from conflictmap.lib import shape_diff

# Fields the item keeps as they are when a revision is restored: its identity, clocks and
# lock, and its place in the workflow (a restore edits content; publishing is a move).
NOT_RESTORED = {"id", "version", "created_at", "updated_at", "status", "submitted_by", "status_comment"}

_open: contextvars.ContextVar[dict | None] = contextvars.ContextVar("open_revision", default=None)


def fields_of(item: models.Model) -> dict:
    """All of the item's fields as JSON: foreign keys and many-to-many as ids, geometry as EWKT."""
    return json.loads(serializers.serialize("json", [item]))[0]["fields"]


class Recorded(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        action = "created" if self._state.adding else "changed"
        with transaction.atomic():
            result = super().save(*args, **kwargs)
            record(self, action)
        return result

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            data, pk = fields_of(self), self.pk
            result = super().delete(*args, **kwargs)
            write(type(self), pk, "deleted", data)
        return result


@contextmanager
def recording(user, comment: str = "", internal: str = ""):
    """Record the saves made inside as one request's revisions, by `user`, with `comment` (public:
    the corrections log prints it) and `internal` (the newsroom's only); inside another recording
    (a workflow move during an admin save), join it and add the comments."""
    outer = _open.get()
    if outer is not None:
        outer["comment"] = "; ".join(part for part in (outer["comment"], comment) if part)
        outer["internal"] = "; ".join(part for part in (outer.get("internal", ""), internal) if part)
        yield outer
        return
    pending: dict = {"user": user, "comment": comment, "internal": internal, "items": {}, "batch": uuid.uuid4()}
    token = _open.set(pending)
    try:
        yield pending
        for (model, pk), (item, action) in pending["items"].items():
            if model._base_manager.filter(pk=pk).exists():
                write(model, pk, action, fields_of(item))
    finally:
        _open.reset(token)


def record(item: models.Model, action: str) -> None:
    pending = _open.get()
    if pending is None:
        write(type(item), item.pk, action, fields_of(item))
        return
    key = (type(item), item.pk)
    first = pending["items"].get(key, (item, action))[1]  # created, then changed: created
    pending["items"][key] = (item, first)


def write(model, pk, action: str, data: dict) -> None:
    """Store one revision, by the open recording's user, reason and batch (none outside one)."""
    pending = _open.get() or {"user": None, "comment": "", "internal": "", "batch": None}
    user = pending["user"] if getattr(pending["user"], "is_authenticated", False) else None
    Revision.objects.create(
        content_type=ContentType.objects.get_for_model(model), object_id=pk, action=action, data=data,
        version=data.get("version", 0), user=user, comment=pending["comment"], batch=pending["batch"],
        internal_comment=pending["internal"],
    )  # fmt: skip


def created_revisions(model, items: list[models.Model], links: dict[int, dict[str, list[int]]]) -> list[Revision]:
    """The "created" revisions of `items`, just written in bulk (which records none), unsaved, for
    the caller to write: in the open recording, with the data a recorded save would keep
    (fields_of), many-to-many ids from `links` (item pk -> field name -> ids) rather than a
    query per item."""
    pending = _open.get() or {"user": None, "comment": "", "internal": "", "batch": None}
    user = pending["user"] if getattr(pending["user"], "is_authenticated", False) else None
    concrete = [field for field in model._meta.concrete_fields if not field.primary_key]
    many = [field.name for field in model._meta.many_to_many]
    content_type = ContentType.objects.get_for_model(model)
    # What fields_of writes, without the serializer's machinery (a fifth of an import's time):
    # each value as is, or as its field writes it in text (a shape as EWKT), then JSON's types.
    data = json.loads(
        json.dumps(
            [
                {
                    field.name: value
                    if is_protected_type(value := field.value_from_object(item))
                    else field.value_to_string(item)
                    for field in concrete
                }
                for item in items
            ],
            cls=DjangoJSONEncoder,
        )
    )
    return [
        Revision(content_type=content_type, object_id=item.pk, action="created", version=item.version, user=user,
                 data={**fields, **{name: links.get(item.pk, {}).get(name, []) for name in many}},
                 comment=pending["comment"], batch=pending["batch"], internal_comment=pending["internal"])
        for item, fields in zip(items, data, strict=True)
    ]  # fmt: skip


def revisions_of(model, pk):
    return Revision.objects.filter(content_type=ContentType.objects.get_for_model(model), object_id=pk)


CLOCKS = {"updated_at", "version"}  # change with every save: not what an edit changed


def changed_fields(before: dict | None, after: dict) -> list[str]:
    """The names of the fields that differ, clocks and lock aside; shapes compare as shapes, so
    a form that sends an area back with its rings in another order changed nothing."""
    before = before or {}
    return [
        name for name, value in after.items()
        if name not in CLOCKS and before.get(name) != value and not shape_diff.same(before.get(name), value)
    ]  # fmt: skip


def differences(before: dict | None, after: dict, model=None) -> list[tuple[str, str, str]]:
    """(field, before, after) of each field that differs, for people: a shape by its size and
    what the edit added and removed (lib/shape_diff.py); with the item's `model`, related items
    (a controller, a place, sources) by their names rather than their ids."""
    before = before or {}
    found = []
    for name in changed_fields(before, after):
        value = after[name]
        now = shown(value, related(model, name))
        if shape_diff.is_shape(value) and (moved := shape_diff.change(before.get(name), value)):
            now = f"{now} ({moved})"
        found.append((name, shown(before.get(name), related(model, name)), now))
    return found


def related(model, name: str):
    """The model a field of `model` points at (a foreign key or many-to-many), if it does."""
    if model is None:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    return field.related_model if field.is_relation else None


def shown(value, points_at=None) -> str:
    if shape_diff.is_shape(value):
        return shape_diff.summary(value)
    if points_at is not None and value not in (None, "", []):
        ids = value if isinstance(value, list) else [value]
        found = points_at._base_manager.in_bulk(ids)
        names = [str(found[pk]) if pk in found else f"#{pk} (since deleted)" for pk in ids]
        return ", ".join(names)
    if isinstance(value, list):
        return ", ".join(str(item) for item in value) or "none"
    return "empty" if value in (None, "") else str(value)


def restore(revision, user, comment: str = ""):
    """Save the item as it was in `revision` (recreated if it was deleted), as a new revision."""
    model = revision.content_type.model_class()
    item = model._base_manager.filter(pk=revision.object_id).first()
    with recording(user, comment or f"Restored the revision of {revision.created_at:%Y-%m-%d %H:%M}"):
        if item is None:  # deleted since: recreated under its id, every field as it was
            item = deserialized(model, revision.object_id, revision.data)
            item.save()
            set_many_to_many(item, revision.data)
        else:
            apply(item, revision.data)
    return item


def apply(item: models.Model, data: dict) -> None:
    """Save `item` with the content fields of `data` (as a revision keeps them), many-to-many
    included; its identity, clocks, lock and workflow state stay (NOT_RESTORED)."""
    as_of(item, data).save()
    set_many_to_many(item, data)


def as_of(item: models.Model, data: dict) -> models.Model:
    """`item`, in memory, with the content fields of `data` (NOT_RESTORED fields stay its own)."""
    found = deserialized(type(item), item.pk, data)
    for field in type(item)._meta.concrete_fields:
        if field.name not in NOT_RESTORED:
            setattr(item, field.attname, getattr(found, field.attname))
    return item


def deserialized(model, pk, data: dict) -> models.Model:
    """An unsaved `model` instance from a revision's `data` (EWKT and ids, as fields_of gives them)."""
    return next(serializers.deserialize("json", json.dumps([
        {"model": model._meta.label_lower, "pk": pk, "fields": data}
    ]))).object  # fmt: skip


def set_many_to_many(item: models.Model, data: dict) -> None:
    for field in type(item)._meta.many_to_many:
        if field.name in data:
            getattr(item, field.name).set(data[field.name])
