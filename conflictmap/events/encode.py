"""Events as GeoJSON features, encoded by hand: the API's hot path for event lists.

Produces exactly what EventSerializer describes (the OpenAPI schema is generated from it), at
a fraction of the per-field cost of DRF serializers; tests/test_api_events.py compares the two.
"""

import datetime as dt
from collections import defaultdict

from django.contrib.gis.db.models.aggregates import Collect
from django.contrib.gis.db.models.functions import Centroid, SnapToGrid
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, F, FloatField, Func, Max, Min, OuterRef, QuerySet
from django.db.models.functions import JSONObject

from conflictmap.events.models import Event


def lng_lat() -> dict:
    """Annotations for a point's coordinates as plain floats: no GEOS object per row."""
    return {
        "lng": Func(F("location"), function="ST_X", output_field=FloatField()),
        "lat": Func(F("location"), function="ST_Y", output_field=FloatField()),
    }


FEATURE_FIELDS = ["id", "date", "date_precision", "title", "title_ar", "description", "description_html", "type",
                  "place__name", "place__name_ar", "place_name", "fatalities", "confidence", "lng", "lat"]  # fmt: skip


def feature_rows(events: QuerySet[Event]) -> QuerySet:
    """`events` as the value rows event_features encodes, with their actors and sources as
    arrays: one query. A page of 200 events made into model instances, each with a GEOS point,
    cost more than every query of the request together, and fetching actors and sources
    apart, by lists of 200 ids, took as long again as the events themselves."""
    actors = Event.actors.through.objects.filter(event_id=OuterRef("id")).order_by("faction__name")
    sources = Event.sources.through.objects.filter(event_id=OuterRef("id")).order_by(
        "-source__published_on", "source__title"
    )
    source = JSONObject(
        url="source__url", title="source__title", publisher="source__publisher", published_on="source__published_on"
    )
    return events.annotate(
        **lng_lat(),
        actor_slugs=ArraySubquery(actors.values("faction__slug")),
        source_list=ArraySubquery(sources.values(json=source)),
    ).values_list(*FEATURE_FIELDS, "actor_slugs", "source_list", named=True)


def event_features(rows, labels: dict[str, str]) -> list[dict]:
    """GeoJSON features of feature_rows(), their types worded by `labels` (models.type_labels)."""
    return [
        {
            "id": row.id,
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [row.lng, row.lat]} if row.lng is not None else None,
            "properties": {
                "date": row.date.isoformat(),
                "date_precision": row.date_precision,
                "title": row.title,
                "title_ar": row.title_ar,
                "description": row.description,
                "description_html": row.description_html,
                "type": row.type,
                "type_label": labels.get(row.type, row.type),  # the theatre's word, in the language
                "place": row.place__name if row.place__name is not None else row.place_name,  # as shown_place
                "place_ar": row.place__name_ar or "",  # as shown_place_ar
                "actors": row.actor_slugs,
                "fatalities": row.fatalities,
                "confidence": row.confidence,
                "sources": row.source_list,  # published_on: ISO dates, as PostgreSQL writes them in JSON
            },
        }
        for row in rows
    ]


def clusters(events: QuerySet[Event], cell_degrees: float) -> list[dict]:
    """Events grouped on a grid of `cell_degrees`: one point feature per non-empty cell, at the
    centroid of its events, with their number and date range. Computed in PostGIS."""
    rows = (
        events.exclude(location=None)
        .order_by()
        .annotate(cell=SnapToGrid("location", cell_degrees))
        .values("cell")
        .annotate(count=Count("id"), centre=Centroid(Collect("location")), first=Min("date"), last=Max("date"))
        .values_list("centre", "count", "first", "last")
    )
    return [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [round(centre.x, 5), round(centre.y, 5)]},
            "properties": {
                "cluster": True,
                "count": count,
                "first_date": first.isoformat(),
                "last_date": last.isoformat(),
            },
        }
        for centre, count, first, last in rows
    ]


POINT_SCALE = 10_000  # coordinates are sent as integers of 1/10,000 degree (about 10 m)
EPOCH = dt.date(1970, 1, 1)


def points(events: QuerySet[Event]) -> dict:
    """What a map needs to draw `events` (located ones) and nothing more, as arrays: `per_day`,
    the number of events on each day from `first_day` (days since 1970-01-01); then per event,
    a day's events one after another in order of longitude: `lng`, in integers of 1/POINT_SCALE
    degree, the first of each day as is and the others as the step from the one before; `lat`
    likewise in integers; `type`, an index into `types`. No ids, which do not compress (a
    point's events are asked for by a small bbox around it); counts and steps instead of a day
    and a longitude per event: a month of a long war (5,000 events) is 28 KB gzipped, against
    34 KB with plain arrays and 250 KB as full features."""
    types = list(Event.Type.values)
    type_index = {value: index for index, value in enumerate(types)}
    rows = (
        events.exclude(location=None)
        .annotate(**lng_lat())
        .order_by("date", "id")
        .values_list("date", "lng", "lat", "type")
    )
    by_day: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    for date, lng, lat, kind in rows:
        kind_index = type_index.get(kind, type_index[Event.Type.OTHER])  # a type saved in code
        by_day[(date - EPOCH).days].append((round(lng * POINT_SCALE), round(lat * POINT_SCALE), kind_index))
    first_day = min(by_day, default=None)
    per_day, lngs, lats, kinds = [], [], [], []
    for day in range(first_day or 0, max(by_day, default=-1) + 1):
        day_points = sorted(by_day.get(day, ()))
        per_day.append(len(day_points))
        previous = 0
        for n, (lng, lat, kind) in enumerate(day_points):
            lngs.append(lng - previous if n else lng)
            previous = lng
            lats.append(lat)
            kinds.append(kind)
    return {"scale": POINT_SCALE, "types": types, "first_day": first_day, "per_day": per_day,
            "lng": lngs, "lat": lats, "type": kinds}  # fmt: skip
