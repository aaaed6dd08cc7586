"""atlas_revision becomes editorial_revision (a rename: rows, ids and indexes stay)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0001_revision_from_atlas"),
        ("atlas", "0005_revision_moved_to_editorial"),
    ]

    operations = [
        migrations.AlterModelTable(name="revision", table=None),
    ]
