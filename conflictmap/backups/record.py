"""A theatre's whole record as one JSON document, and back into an empty database.

The record is what people entered, never what the build derives: the theatre, its control
changes and events, the sources they cite, the places and factions they name (coalitions too),
and every revision of those items with who made it. Layers are rebuilt from it on import,
byte for byte the same (tests/test_backups.py). Primary keys are kept, so changes on one date
apply in the same order; an import refuses a database that already holds any of the rows.
People appear by username only: an import makes each an inactive account without a password.
"""

import datetime as dt
import json

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core import serializers
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Q

from conflictmap.atlas.models import Faction, Place, Source, Theatre
from conflictmap.editorial.models import Revision
from conflictmap.events.models import Event
from conflictmap.territory.models import ControlChange

FORMAT, VERSION = "conflictmap-theatre", 1


class RecordRefused(Exception):
    """The file cannot be imported here; the message says why and what to do."""


def export_theatre(theatre: Theatre) -> dict:
    changes = ControlChange.objects.filter(theatre=theatre).order_by("pk")
    events = Event.objects.filter(theatre=theatre).order_by("pk")
    sources = Source.objects.filter(Q(changes__in=changes) | Q(events__in=events)).distinct().order_by("pk")
    places = Place.objects.filter(events__in=events).distinct().order_by("pk")
    named = set(changes.values_list("controller", flat=True)) | set(events.values_list("actors", flat=True))
    factions = with_coalitions(Faction.objects.filter(pk__in=named - {None}))
    items = [theatre, *factions, *places, *sources, *changes, *events]
    revisions = Revision.objects.none()
    for model, pks in ((Faction, factions), (Source, sources), (ControlChange, changes), (Event, events)):
        revisions = revisions | Revision.objects.filter(
            content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name,
            object_id__in=[item.pk for item in pks],
        )  # fmt: skip
    revisions = revisions.order_by("pk")
    people = Q(pk__in=revisions.values("user")) | Q(pk__in=changes.values("submitted_by"))
    users = set(
        get_user_model()
        .objects.filter(people | Q(pk__in=events.values("submitted_by")))
        .values_list(get_user_model().USERNAME_FIELD, flat=True)
    )  # one query, not one per item
    objects = json.loads(serializers.serialize("json", [*items, *revisions], use_natural_foreign_keys=True))
    for item in objects:
        if item["model"] == "atlas.faction":  # it comes back into this war, not into others the file lacks
            item["fields"]["theatres"] = [theatre.pk]
    return {"format": FORMAT, "version": VERSION, "theatre": theatre.slug,
            "exported_at": dt.datetime.now(dt.UTC).isoformat(), "users": sorted(users), "objects": objects}  # fmt: skip


def with_coalitions(factions) -> list[Faction]:
    """The factions and every coalition above them, coalitions first (a member points at its own)."""
    found: dict[int, Faction] = {}
    todo = list(factions)
    while todo:
        faction = todo.pop()
        if faction.pk not in found:
            found[faction.pk] = faction
            if faction.parent_id:
                todo.append(faction.parent)
    return sorted(found.values(), key=lambda faction: (faction.parent_id is not None, faction.pk))


def import_theatre(record: dict) -> Theatre:
    """Load an exported record into this database, in one transaction; returns its theatre.
    Raises RecordRefused, and changes nothing, when the file or the database does not fit."""
    if record.get("format") != FORMAT or record.get("version") != VERSION:
        raise RecordRefused(f"Not a {FORMAT} file of version {VERSION}: was it made by export_theatre?")
    clashes = existing_rows(record["objects"])
    if clashes:
        raise RecordRefused(f"This database already holds rows of this record ({', '.join(clashes)}): "
                            "import into an empty database, or delete them first.")  # fmt: skip
    with transaction.atomic():
        for username in record["users"]:
            user, created = get_user_model().objects.get_or_create(username=username, defaults={"is_active": False})
            if created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
        with connection.constraint_checks_disabled():
            loaded = list(
                serializers.deserialize("json", json.dumps(record["objects"]), handle_forward_references=True)
            )
            for item in loaded:
                item.save()  # a raw save: no revision is recorded again, no layer marked (below)
        connection.check_constraints()
        models = {type(item.object) for item in loaded}
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(models)):
                cursor.execute(statement)
    return Theatre.objects.get(slug=record["theatre"])


def existing_rows(objects: list[dict]) -> list[str]:
    """'<model> <pk>' of each row of the record this database already has."""
    by_model: dict[str, list] = {}
    for item in objects:
        by_model.setdefault(item["model"], []).append(item["pk"])
    found = []
    for label, pks in by_model.items():
        model = apps.get_model(label)
        found += [f"{label} {pk}" for pk in model._base_manager.filter(pk__in=pks).values_list("pk", flat=True)[:3]]
    return found
