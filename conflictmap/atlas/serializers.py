"""Serializers of reference data, shared by the API and by nested event/source output."""

from rest_framework import serializers
from rest_framework_gis.fields import GeometryField
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from conflictmap.atlas import outlines
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
    # To 4 decimals (about 11 m): the outline's source is drawn at 1:10 million, good to a
    # kilometre, and every map and embed loads it first (2 KB less to wait for, gzipped).
    boundary = GeometryField(precision=4)
    basemap = serializers.SerializerMethodField(help_text="Its offline basemap (GeoJSON): the countries around it.")

    class Meta:
        model = Theatre
        geo_field = "boundary"
        auto_bbox = True
        fields = ["slug", "name", "name_ar", "start_date", "description", "attribution", "basemap"]

    def get_basemap(self, theatre: Theatre) -> str:
        return outlines.basemap_url(theatre.slug, theatre.boundary)
