"""The Revision model moves here from the atlas app, its table and rows untouched: this claims
the table atlas 0002 made (state only), atlas 0005 lets go of it, and 0002 here renames it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    # Keeps the permissions and admin log entries of revisions attached to the moved model.
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="editorial", model="revision").exists():
        ContentType.objects.filter(app_label="atlas", model="revision").update(app_label="editorial")


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="atlas", model="revision").exists():
        ContentType.objects.filter(app_label="editorial", model="revision").update(app_label="atlas")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("atlas", "0004_revision_batches"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Revision",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("version", models.PositiveIntegerField(default=0, help_text="The item's version after this save.")),
                        ("action", models.CharField(max_length=10)),
                        ("comment", models.TextField(blank=True)),
                        ("data", models.JSONField(help_text="All the item's fields; geometry as EWKT, related items as ids.")),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("batch", models.UUIDField(blank=True, db_index=True, null=True)),
                        ("content_type", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["content_type", "object_id"], name="revision_item")],
                        "db_table": "atlas_revision",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
