"""Serializers of reference data, shared by the API and by nested event/source output."""

from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from conflictmap.atlas.models import Faction, Source, Theatre


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["url", "title", "publisher", "published_on"]


class FactionSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)  # null: no coalition

    class Meta:
        model = Faction
        fields = ["slug", "name", "name_ar", "short_name", "kind", "color", "parent"]


class TheatreSerializer(GeoFeatureModelSerializer):
    class Meta:
        model = Theatre
        geo_field = "boundary"
        auto_bbox = True
        fields = ["slug", "name", "start_date", "description", "attribution"]
