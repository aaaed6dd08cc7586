"""Sources saved before Source.save canonicalised addresses lose their tracking parameters."""

from django.db import migrations

from conflictmap.lib.urls import canonical_url


def canonicalise(apps, schema_editor):
    Source = apps.get_model("atlas", "Source")
    for source in Source.objects.exclude(url="").only("pk", "url"):
        if (url := canonical_url(source.url)) != source.url:
            Source.objects.filter(pk=source.pk).update(url=url)


class Migration(migrations.Migration):
    dependencies = [("atlas", "0005_revision_moved_to_editorial")]

    operations = [migrations.RunPython(canonicalise, migrations.RunPython.noop)]
