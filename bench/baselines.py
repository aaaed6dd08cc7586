"""What conflictmap's figures are compared with, in the same run (see bench/README.md).

- naive: the partition computed per request in PostGIS from the raw changes, then ST_AsGeoJSON;
- Django-typical: django.core.serializers' GeoJSON and djangorestframework-gis's serializer;
- the limit: the same bytes from memory in a bare Django view, and a raw query through psycopg.
"""

import datetime as dt
import time

from django.core import serializers
from django.db import connection
from django.http import HttpResponse
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from conflictmap.territory.models import ControlArea, Holding, LayerSnapshot

# The latest layer's bytes, loaded on the first request of each server process.
_payload: dict[str, bytes] = {}


def latest_payload() -> bytes:
    snapshot = LayerSnapshot.objects.filter(build__is_current=True, valid_to__isnull=True).latest("valid_from")
    return bytes(snapshot.geojson)


def bare_layer_view(request):
    """The limit for a Django view: the same bytes, from memory, no parsing, no database."""
    if "layer" not in _payload:
        _payload["layer"] = latest_payload()
    return HttpResponse(_payload["layer"], content_type="application/geo+json")


# For each published change up to the date: its area minus the areas of every later change up to
# the date, grouped by controller and dissolved. What a map without derived layers does per request.
NAIVE_SQL = """
WITH c AS (
    SELECT id, date, controller_id, area FROM territory_controlchange
    WHERE theatre_id = %(theatre)s AND status = 'published' AND date <= %(date)s
)
SELECT controller_id, ST_AsGeoJSON(ST_Union(held)) FROM (
    SELECT c.controller_id, COALESCE(ST_Difference(c.area, (
        SELECT ST_Union(l.area) FROM c l
        WHERE (l.date, l.id) > (c.date, c.id) AND ST_Intersects(l.area, c.area)
    )), c.area) AS held
    FROM c
) pieces GROUP BY controller_id
"""


def naive_layer_seconds(theatre_id: int, date: dt.date) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(NAIVE_SQL, {"theatre": theatre_id, "date": date})
        cursor.fetchall()
    return time.perf_counter() - started


def raw_geojson_seconds(snapshot: LayerSnapshot) -> float:
    """The stored geometries of one snapshot as GeoJSON, straight from PostGIS through psycopg."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT area.controller_id, ST_AsGeoJSON(holding.geom, 6) FROM territory_controlarea area"
            " JOIN territory_holding holding ON holding.id = area.holding_id WHERE area.snapshot_id = %s",
            [snapshot.pk],
        )
        cursor.fetchall()
    return time.perf_counter() - started


class HoldingSerializer(GeoFeatureModelSerializer):
    class Meta:
        model = Holding
        geo_field = "geom"
        fields = ["controller", "area_km2"]


def holdings(snapshot: LayerSnapshot):
    """The snapshot's controllers' areas, as models."""
    return Holding.objects.filter(pk__in=ControlArea.objects.filter(snapshot=snapshot).values("holding"))


def django_serializer_seconds(snapshot: LayerSnapshot) -> float:
    started = time.perf_counter()
    serializers.serialize("geojson", holdings(snapshot), geometry_field="geom")
    return time.perf_counter() - started


def drf_gis_seconds(snapshot: LayerSnapshot) -> float:
    started = time.perf_counter()
    HoldingSerializer(holdings(snapshot), many=True).data  # noqa: B018
    return time.perf_counter() - started
