"""Factions belong to theatres. Before, every faction was in every war: each keeps every theatre
there is, so nothing an editor sees changes until they narrow it."""

from django.db import migrations, models


def every_theatre(apps, schema_editor):
    Faction, Theatre = apps.get_model("atlas", "Faction"), apps.get_model("atlas", "Theatre")
    theatres = list(Theatre.objects.all())
    for faction in Faction.objects.all():
        faction.theatres.add(*theatres)


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0007_arabic_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="faction",
            name="theatres",
            field=models.ManyToManyField(
                help_text="The wars it takes part in: their legends, filters and the admin's choices list it there.",
                related_name="factions",
                to="atlas.theatre",
            ),
        ),
        migrations.RunPython(every_theatre, migrations.RunPython.noop),
    ]
