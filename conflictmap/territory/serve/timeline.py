"""GET /api/v1/timeline/: the dates a timeline marks, and where the scrubbing payloads are.

It reads which build and head are current (the layer cache), so it lives with the layers; the
events per day it adds are a count, the one thing it reads from the events app.
"""

from typing import Any

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.decorators import api_view
from rest_framework.response import Response

from conflictmap.atlas.api import theatre_or_404
from conflictmap.editorial.workflow import Status
from conflictmap.events import daily
from conflictmap.http.queries import RangeQuery, parse
from conflictmap.http.response_cache import cached
from conflictmap.territory.models import Confidence, ControlChange, LayerSnapshot
from conflictmap.territory.serve.api import BuildQuery, current_or_pinned, versioned_url
from conflictmap.territory.serve.layer_cache import layers


class TimelineQuery(BuildQuery, RangeQuery):
    from_ = serializers.DateField(required=False, help_text="With `to`: only what a map of [from, to] needs (an "
                                  "embed's): the change dates from the one in force on `from` to the first after "
                                  "`to`, and the events per day of [from, to].")  # fmt: skip
    to = serializers.DateField(required=False, help_text="YYYY-MM-DD, inclusive; see `from`.")

    def validate(self, attrs):
        if ("from" in attrs) != ("to" in attrs):
            raise serializers.ValidationError({"to" if "from" in attrs else "from": ["Give both `from` and `to`."]})
        return super().validate(attrs)


@extend_schema(
    parameters=[TimelineQuery],
    responses=inline_serializer(
        "Timeline",
        {
            "theatre": serializers.CharField(),
            "start_date": serializers.DateField(),
            "end_date": serializers.DateField(),
            "change_dates": serializers.ListField(child=serializers.DateField()),
            "head_date": serializers.DateField(
                allow_null=True,
                help_text="Set while a rebuild is under way: from this date on, /control/ already has the "
                "edited layer while /pieces/ and /history/ are still the previous build's.",
            ),
            "pieces_url": serializers.CharField(
                allow_null=True,
                help_text="Content-hashed URL of /pieces/: cache it for good. Null for a few seconds after an "
                "edit, while they are made: draw each date from /control/ meanwhile.",
            ),
            "history_url": serializers.CharField(allow_null=True, help_text="Content-hashed URL of /history/."),
            "unsure": serializers.BooleanField(
                help_text="Whether any published control change is less than confirmed (assessed, claimed or "
                "contested): only then has a map confidence patterns to draw (/control/confidence/)."
            ),
            "events_per_day": serializers.ListField(
                child=inline_serializer(
                    "DayCount", {"date": serializers.DateField(), "count": serializers.IntegerField()}
                )
            ),
            "unlocated_per_day": serializers.ListField(
                child=inline_serializer(
                    "UnlocatedDayCount", {"date": serializers.DateField(), "count": serializers.IntegerField()}
                ),
                help_text="Of those, the events without a location: on the timeline, not the map.",
            ),
        },
    ),
)
@api_view(["GET"])
def timeline(request):
    """The dates a timeline marks: where the published control layer changes, and events per day.

    `end_date` is the last date with a change or an event; the layer after it stays as it was.
    """
    query = parse(TimelineQuery, request.query_params)
    theatre = theatre_or_404(query["theatre"])
    # One fresh read of which build (and head) is current, so dates and URLs come from the same
    # one; or the build a citation names, with its own URLs.
    current = current_or_pinned(query) if "build" in query else layers.theatre(theatre.slug, fresh=True)
    build, head = (current.build, current.head) if current else (None, None)
    variant = f"{build[0] if build else ''}:{head[0] if head else ''}"
    pinned = "build" in query
    window = (query["from"], query["to"]) if "from" in query else None
    return Response(cached(theatre.pk, request, query, lambda: timeline_of(theatre, build, head, pinned, window),
                           variant=variant))  # fmt: skip


def timeline_of(theatre, build, head, pinned: bool = False, window=None) -> dict:
    """The timeline's answer; `window` (first, last): only what a map of those dates needs."""
    change_dates = list(
        LayerSnapshot.objects.filter(build_id=build[0] if build else None)
        .order_by("valid_from")
        .values_list("valid_from", flat=True)
    )
    per_day: list[dict[str, Any]] = [{"date": day, "count": count} for day, count in daily.per_day(theatre.pk)]
    unlocated: list[dict[str, Any]] = [
        {"date": day, "count": count} for day, count in daily.per_day(theatre.pk, unlocated=True)
    ]
    if not change_dates and not per_day:
        raise exceptions.NotFound(f"Nothing has been published about {theatre.name} yet.")
    if head and head[1] not in change_dates:
        change_dates.append(head[1])  # today's layer, rebuilt first after an edit
    last = max([*change_dates, *(day["date"] for day in per_day)])
    change_dates.sort()
    if window:
        first, final = window
        before = [day for day in change_dates if day <= first][-1:]
        after = [day for day in change_dates if day > final][:1]
        change_dates = [*before, *(day for day in change_dates if first < day <= final), *after]
        per_day = [day for day in per_day if first <= day["date"] <= final]
        unlocated = [day for day in unlocated if first <= day["date"] <= final]
    return {
        "theatre": theatre.slug,
        "start_date": theatre.start_date.isoformat(),
        "end_date": last.isoformat(),
        "change_dates": [day.isoformat() for day in change_dates],
        "head_date": head[1].isoformat() if head else None,
        "events_per_day": [{"date": day["date"].isoformat(), "count": day["count"]} for day in per_day],
        "unlocated_per_day": [{"date": day["date"].isoformat(), "count": day["count"]} for day in unlocated],
        "pieces_url": versioned_url("api-pieces", theatre.slug, build, "pieces_geojson", pinned),
        "history_url": versioned_url("api-history", theatre.slug, build, "history_json", pinned),
        "unsure": ControlChange.objects.filter(theatre=theatre, status=Status.PUBLISHED)
        .exclude(confidence=Confidence.CONFIRMED)
        .exists(),
    }
