"""ACLED's event and sub-event types (its codebook) mapped to ours, to start from; editors
change them, and add actors, under Imports > Name mappings."""

from django.db import migrations

SUB_EVENT_TYPES = {
    "Armed clash": "clash",
    "Government regains territory": "capture",
    "Non-state actor overtakes territory": "capture",
    "Non-violent transfer of territory": "capture",
    "Air/drone strike": "air_strike",
    "Shelling/artillery/missile attack": "shelling",
    "Agreement": "agreement",
    "Headquarters or base established": "deployment",
}
EVENT_TYPES = {"Battles": "clash"}  # the others fall back to "other"


def seed(apps, schema_editor):
    NameMapping = apps.get_model("imports", "NameMapping")
    for field, table in (("sub_event_type", SUB_EVENT_TYPES), ("event_type", EVENT_TYPES)):
        for value, ours in table.items():
            NameMapping.objects.get_or_create(dataset="acled", field=field, value=value, defaults={"maps_to": ours})


class Migration(migrations.Migration):
    dependencies = [("imports", "0001_name_mappings")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
