"""GET /api/v1/events/ and /api/v1/events/points/: published events, as pages and as arrays to draw;
GET /api/v1/event-types/: the types they may have, with the colour a map draws each in."""

import re

from django.contrib.gis.geos import Polygon
from django.db.models import Exists, OuterRef
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import exceptions, generics, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response
from rest_framework_gis.pagination import GeoJsonPagination
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from conflictmap.atlas.api import theatre_or_404
from conflictmap.atlas.serializers import SourceSerializer
from conflictmap.editorial.workflow import Status
from conflictmap.events.encode import clusters, event_features, feature_rows, points
from conflictmap.events.models import Event, type_labels
from conflictmap.http.queries import TheatreQuery, bbox_of, parse
from conflictmap.http.response_cache import cached


class EventSerializer(GeoFeatureModelSerializer):
    place = serializers.CharField(source="shown_place")
    place_ar = serializers.CharField(source="shown_place_ar", help_text="The gazetteer place's Arabic name, if any.")
    type_label = serializers.SerializerMethodField(
        help_text="The type in words: the theatre's own where it words it (`/event-types/?theatre=`), in the language."
    )
    actors = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    sources = SourceSerializer(many=True)

    @extend_schema_field(str)
    def get_type_label(self, event: Event) -> str:
        return type_labels(event.theatre_id).get(event.type, event.type)

    class Meta:
        model = Event
        geo_field = "location"
        fields = [
            "id",
            "date",
            "date_precision",
            "title",
            "title_ar",
            "description",
            "description_html",
            "type",
            "type_label",
            "place",
            "place_ar",
            "actors",
            "fatalities",
            "confidence",
            "sources",
        ]


CLUSTER_ABOVE = 2000  # events; beyond this, a map of single markers is unreadable anyway
CLUSTER_CELLS = 64  # grid cells across the wider side of the queried area


class EventQuery(TheatreQuery):
    # `from` is a Python keyword, so the field is declared under another name and renamed below.
    from_ = serializers.DateField(required=False, help_text="First date, inclusive (YYYY-MM-DD).")
    to = serializers.DateField(required=False, help_text="Last date, exclusive (YYYY-MM-DD).")
    bbox = serializers.CharField(required=False, help_text="min_lon,min_lat,max_lon,max_lat")
    type = serializers.CharField(required=False, help_text="Event type, or several separated by commas.")
    actor = serializers.CharField(required=False, help_text="Faction slug, or several separated by commas: events "
                                  "any of them took part in.")  # fmt: skip
    confidence = serializers.CharField(required=False, help_text="high, medium or low, or several separated by "
                                       "commas.")  # fmt: skip
    order = serializers.ChoiceField(
        ["oldest", "newest"], default="oldest", help_text="oldest: in date order; newest: newest first."
    )
    cluster = serializers.BooleanField(
        required=False,
        default=False,
        help_text=f"If true and more than {CLUSTER_ABOVE:,} events match, answer with grid clusters (points with "
        "a `count`) instead of pages of events.",
    )

    def validate_bbox(self, value: str) -> Polygon:
        return Polygon.from_bbox(bbox_of(value))

    def validate_type(self, value: str) -> list[str]:
        return one_of(value, Event.Type.values, "type")

    def validate_confidence(self, value: str) -> list[str]:
        return one_of(value, Event.Confidence.values, "confidence")

    def validate_actor(self, value: str) -> list[str]:
        slugs = [item.strip() for item in value.split(",") if item.strip()]
        if not slugs or not all(SLUG.fullmatch(slug) for slug in slugs):
            raise serializers.ValidationError("Give faction slugs (letters, digits, - and _), separated by commas.")
        return slugs

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs):
        if attrs.get("from") and attrs.get("to") and attrs["to"] <= attrs["from"]:
            raise serializers.ValidationError({"to": ["Must be after `from` (the range is [from, to))."]})
        return attrs


SLUG = re.compile(r"[-a-zA-Z0-9_]{1,50}")


def one_of(value: str, allowed: list[str], name: str) -> list[str]:
    """A comma-separated list of values each in `allowed`, or a clear 400."""
    values = [item.strip() for item in value.split(",") if item.strip()]
    unknown = sorted(set(values) - set(allowed))
    if unknown or not values:
        raise serializers.ValidationError(f"Unknown {name} {', '.join(unknown)}; use one of {', '.join(allowed)}.")
    return values


def matching(theatre, query: dict):
    """The theatre's published events that an EventQuery's filters select."""
    events = Event.objects.filter(theatre=theatre, status=Status.PUBLISHED)
    if "from" in query:
        events = events.filter(date__gte=query["from"])
    if "to" in query:
        events = events.filter(date__lt=query["to"])
    if "bbox" in query:
        events = events.filter(location__intersects=query["bbox"])
    if "type" in query:
        events = events.filter(type__in=query["type"])
    if "confidence" in query:
        events = events.filter(confidence__in=query["confidence"])
    if "actor" in query:  # any of them: an Exists, so an event with two of them is listed once
        took_part = Event.actors.through.objects.filter(event_id=OuterRef("pk"), faction__slug__in=query["actor"])
        events = events.filter(Exists(took_part))
    return events


class EventPagination(GeoJsonPagination):
    page_size = 200
    max_page_size = 1000
    page_size_query_param = "page_size"


@extend_schema(parameters=[EventQuery])
class EventList(generics.ListAPIView):
    """Published events in a theatre, as a GeoJSON FeatureCollection in date order.

    Events without a known location have a null geometry: they belong on the timeline, not the map.
    Pages hold at most 1000 events; follow `next`.
    """

    serializer_class = EventSerializer
    pagination_class = EventPagination

    def get_queryset(self):
        query = self.query = parse(EventQuery, self.request.query_params)
        self.theatre = theatre_or_404(query["theatre"])
        newest_first = query["order"] == "newest"
        return matching(self.theatre, query).order_by(*(("-date", "-id") if newest_first else ("date", "id")))

    def list(self, request, *args, **kwargs):
        events = self.get_queryset()
        pages = {name: request.query_params.get(name) for name in ("page", EventPagination.page_size_query_param)}
        return Response(cached(self.theatre.pk, request, {**self.query, **pages}, lambda: self.answer(events)))

    def answer(self, events) -> dict:
        if self.query["cluster"] and (count := events.count()) > CLUSTER_ABOVE:
            west, south, east, north = (self.query.get("bbox") or self.theatre.boundary).extent
            cell = max(east - west, north - south) / CLUSTER_CELLS
            return {"type": "FeatureCollection", "clustered": True, "count": count, "features": clusters(events, cell)}
        page = self.paginate_queryset(feature_rows(events))
        return self.get_paginated_response({"features": event_features(page, type_labels(self.theatre.pk))}).data


@extend_schema(
    parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The event's id, as listed.")],
    responses={200: EventSerializer, 404: OpenApiResponse(description="No published event of that id.")},
)
@api_view(["GET"])
def event_detail(request, id: str):
    """One published event as a GeoJSON Feature, as /api/v1/events/ lists it: what a link to a
    selected event (the map's `event=`) opens."""
    if not id.isascii() or not id.isdigit() or len(id) > 18:  # any text reaches here: a JSON 404, not Django's page
        raise exceptions.NotFound("An event's id is a whole number.")
    event = Event.objects.filter(pk=int(id), status=Status.PUBLISHED)
    theatre = event.values_list("theatre_id", flat=True).first()
    if theatre is None:
        raise exceptions.NotFound(f"No published event {id}.")
    found = event_features(feature_rows(event), type_labels(theatre))
    return Response(found[0])


@extend_schema(
    parameters=[EventQuery],
    responses=inline_serializer(
        "EventPoints",
        {
            "scale": serializers.IntegerField(help_text="Coordinates are integers of 1/scale degree."),
            "types": serializers.ListField(child=serializers.CharField()),
            "first_day": serializers.IntegerField(
                allow_null=True, help_text="Days since 1970-01-01 of the first event; null when there are none."
            ),
            "per_day": serializers.ListField(
                child=serializers.IntegerField(), help_text="How many events each day has, from first_day on."
            ),
            "lng": serializers.ListField(
                child=serializers.IntegerField(),
                help_text="Per event, a day's events one after another in order of longitude: the first of "
                "each day as is, the others as the step from the one before.",
            ),
            "lat": serializers.ListField(child=serializers.IntegerField()),
            "type": serializers.ListField(child=serializers.IntegerField(), help_text="Index into `types`."),
        },
    ),
)
@api_view(["GET"])
def event_points(request):
    """The located events the filters select, as compact arrays for drawing a map: every event,
    day by day, with no pages (order, cluster and page_size do not apply). Details come from
    /api/v1/events/, for example with a small bbox around a point."""
    query = parse(EventQuery, request.query_params)
    theatre = theatre_or_404(query["theatre"])
    return Response(cached(theatre.pk, request, query, lambda: points(matching(theatre, query))))


class EventTypeSerializer(serializers.Serializer):
    type = serializers.CharField(help_text="The value events carry in `type` (and /events/points/ in `types`).")
    label = serializers.CharField(help_text="As the events' `type_label`.")
    color = serializers.CharField(help_text="#rrggbb: the colour of its markers on the map.")
    shape = serializers.CharField(help_text="Its markers' shape: circle, square, diamond, triangle, triangle-down or "
                                  "cross.")  # fmt: skip


@extend_schema(
    parameters=[OpenApiParameter("theatre", str, description="Worded as this theatre words them (slug).")],
    responses=EventTypeSerializer(many=True),
)
@api_view(["GET"])
def event_types(request):
    """Every event type, in the order editors choose from, with its label and its colour on the map.

    The one list of these colours and shapes (Event.TYPE_COLORS, TYPE_SHAPES): the map page reads it at start, so a map
    and its legend agree with the server on every type, a new one included. With `theatre=`, the labels are that
    war's own words for them, where its editors gave any."""
    colors, shapes = Event.TYPE_COLORS, Event.TYPE_SHAPES
    slug = request.query_params.get("theatre")
    labels = type_labels(theatre_or_404(slug).pk if slug is not None else None)
    return Response([{"type": value, "label": labels[value], "color": colors[value], "shape": shapes[value]}
                     for value, _ in Event.Type.choices])  # fmt: skip
