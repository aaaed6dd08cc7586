import django.contrib.gis.db.models.fields
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("atlas", "0001_initial"),
        ("territory", "0003_forget_derived_layers"),
    ]

    operations = [
        migrations.CreateModel(
            name="Holding",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("geom", django.contrib.gis.db.models.fields.MultiPolygonField(srid=4326)),
                ("area_km2", models.FloatField()),
                ("controller", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to="atlas.faction")),
                ("theatre", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+", to="atlas.theatre")),
            ],
            options={
                "constraints": [models.CheckConstraint(condition=models.Q(("geom__isvalid", True)), name="holding_geom_valid")],
            },
        ),
        migrations.RemoveConstraint(model_name="controlarea", name="control_area_geom_valid"),
        migrations.RemoveField(model_name="controlarea", name="geom"),
        migrations.RemoveField(model_name="controlarea", name="area_km2"),
        migrations.AddField(
            model_name="controlarea",
            name="holding",
            field=models.ForeignKey(
                default=0, on_delete=django.db.models.deletion.RESTRICT, related_name="+", to="territory.holding"
            ),
            preserve_default=False,
        ),
    ]
