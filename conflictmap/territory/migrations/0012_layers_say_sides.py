from django.db import migrations
from django.db.models import F


def rebuild_everything(apps, schema_editor):
    """Layers built before this migration do not say their holders' sides (nor, in the pieces'
    history, their kind), so an embed finds fronts in them by a guess, or none while scrubbing:
    every theatre marked stale from its start, and a version ahead of its build, so the sweep
    (or manage.py rebuild_layers) replaces them while readers keep the old layers."""
    LayerState = apps.get_model("territory", "LayerState")
    for state in LayerState.objects.select_related("theatre"):
        state.dirty_since, state.dirty_region, state.version = state.theatre.start_date, None, F("version") + 1
        state.save(update_fields=["dirty_since", "dirty_region", "version"])


class Migration(migrations.Migration):
    dependencies = [
        ("territory", "0011_fronts"),
    ]

    operations = [
        migrations.RunPython(rebuild_everything, migrations.RunPython.noop),
    ]
