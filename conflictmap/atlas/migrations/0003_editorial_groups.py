"""The newsroom's two roles as groups (conflictmap/atlas/workflow.py): editors draft and submit;
publishers also approve, send back and retract. Give people roles by adding them to a group."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITING = {
    "territory": {"controlchange": ["add", "change", "view"]},
    "events": {"event": ["add", "change", "view"]},
    "atlas": {"source": ["add", "change", "view"], "place": ["add", "change", "view"], "faction": ["view"],
              "theatre": ["view"]},
}  # fmt: skip
PUBLISHING = {"territory": {"controlchange": ["publish"]}, "events": {"event": ["publish"]}, "atlas": {"faction": ["change"]}}


def codenames(spec):
    for app, models in spec.items():
        for model, actions in models.items():
            for action in actions:
                yield app, f"{action}_{model}"


def create_groups(apps, schema_editor):
    for app_config in apps.get_app_configs():  # permissions are otherwise made after all migrations
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")

    def permissions(spec):
        return [Permission.objects.get(content_type__app_label=app, codename=code) for app, code in codenames(spec)]

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*permissions(EDITING))
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.add(*permissions(EDITING), *permissions(PUBLISHING))


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Editors", "Publishers"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0002_versions_and_revisions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0004_review_workflow"),
        ("territory", "0006_review_workflow"),
    ]
    operations = [migrations.RunPython(create_groups, remove_groups)]
