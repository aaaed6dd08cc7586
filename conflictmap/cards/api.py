"""GET /api/v1/card.png: the social image of a map view, for og:image and twitter:image tags,
the share control's PNG download and the map's <noscript> image.

Under /api/v1/ with the rest of the public read API: the same query parsing and error shape
(400 and 404 as JSON, documented in the OpenAPI schema and held to it by schemathesis), the
same read-replica routing, and no session or CSP machinery, which an image does not need.
"""

from django.conf import settings
from django.contrib.gis.geos import Polygon
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers
from rest_framework.views import APIView

from conflictmap.atlas.api import theatre_or_404
from conflictmap.atlas.models import Faction
from conflictmap.cards.images import LANGUAGES, Card, NoLayer, build_id_of, png_of
from conflictmap.http.queries import bbox_of, parse
from conflictmap.territory.serve.api import IMMUTABLE, BuildQuery, matches


class CardQuery(BuildQuery):
    date = serializers.DateField(help_text="YYYY-MM-DD. Any date from the theatre's start date on.")
    title = serializers.CharField(
        required=False, max_length=200, help_text="The card's title (default: the theatre's name)."
    )
    factions = serializers.CharField(
        required=False,
        help_text="Faction slugs to colour and list, separated by commas (default: every controller). "
        "The others are drawn as plain land.",
    )
    bbox = serializers.CharField(required=False, help_text="min_lon,min_lat,max_lon,max_lat to frame (default: "
                                 "the theatre).")  # fmt: skip
    lang = serializers.ChoiceField(
        LANGUAGES, default="en", help_text="Labels and layout: ar lays the card out right to left."
    )

    def validate_factions(self, value: str) -> list[str]:
        slugs = [item.strip() for item in value.split(",") if item.strip()]
        unknown = sorted(set(slugs) - set(Faction.objects.filter(slug__in=slugs).values_list("slug", flat=True)))
        if unknown:
            raise serializers.ValidationError(f"Unknown faction {', '.join(unknown)}: see /api/v1/factions/.")
        return slugs

    def validate_bbox(self, value: str) -> tuple[float, float, float, float]:
        return bbox_of(value)


class CardView(APIView):
    @extend_schema(
        operation_id="v1_card_retrieve",  # not "v1_card.png_retrieve", made from the path
        parameters=[CardQuery],
        responses={
            (200, "image/png"): OpenApiResponse(OpenApiTypes.BINARY, description="A 1200×630 PNG."),
            304: OpenApiResponse(description="Not modified (If-None-Match matched the ETag)."),
        },
    )
    def get(self, request):
        """The social image of a map view: the control layer at a date in the factions' colours,
        the theatre and its neighbours, a legend with each controller's km², the date, a title
        and the attribution. 1200×630, for Open Graph and Twitter cards. Drawn from the current
        build (or the cited build `build`) on the first request, or before for saved views, and
        then served from a cache; the ETag changes with each build."""
        query = parse(CardQuery, request.query_params)
        theatre = theatre_or_404(query["theatre"])
        bbox, factions = query.get("bbox"), query.get("factions")
        if bbox and not theatre.boundary.intersects(Polygon.from_bbox(bbox)):
            raise exceptions.ValidationError({"bbox": [f"Does not overlap {theatre.name}: frame part of it."]})
        factions = tuple(factions) if factions is not None else None
        card = Card(theatre, query["date"], query.get("title"), factions, bbox, query["lang"])
        try:
            build_id = build_id_of(theatre, query.get("build"))
            etag = f'"{card.key(build_id).removeprefix("card:")}"'
            if matches(request.META.get("HTTP_IF_NONE_MATCH", ""), etag):
                response = HttpResponse(status=304)
            else:
                response = HttpResponse(png_of(card, build_id), content_type="image/png")
        except NoLayer as error:
            raise exceptions.NotFound(str(error)) from None
        response["ETag"] = etag
        # A build's number in the URL: a kept build never changes, nor does its card.
        response["Cache-Control"] = IMMUTABLE if "build" in query else f"public, max-age={settings.LAYER_MAX_AGE}"
        return response
