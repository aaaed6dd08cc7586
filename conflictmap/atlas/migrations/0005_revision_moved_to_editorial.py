"""Revision now belongs to the editorial app (editorial 0001): atlas forgets it, the table stays."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0004_revision_batches"),
        ("editorial", "0001_revision_from_atlas"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Revision")],
            database_operations=[],
        ),
    ]
