from django.db import migrations


def forget_derived_layers(apps, schema_editor):
    """The next migration stores controllers' areas once per version (Holding) instead of once
    per date: the derived layers are deleted and every theatre is marked stale from its start,
    so the next rebuild (manage.py rebuild_layers, or the Celery task) makes them anew."""
    apps.get_model("territory", "LayerHead").objects.all().delete()
    apps.get_model("territory", "LayerBuild").objects.all().delete()
    LayerState = apps.get_model("territory", "LayerState")
    for state in LayerState.objects.select_related("theatre"):
        state.dirty_since, state.dirty_region, state.built_version = state.theatre.start_date, None, 0
        state.save(update_fields=["dirty_since", "dirty_region", "built_version"])


class Migration(migrations.Migration):
    dependencies = [("territory", "0002_lazy_payloads_overview_clean_pieces")]

    operations = [migrations.RunPython(forget_derived_layers, migrations.RunPython.noop)]
