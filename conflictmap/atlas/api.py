"""GET /api/v1/factions/ and /api/v1/theatres/: the reference data a map needs to draw; and the
theatre lookup every API view starts from."""

from django.views.decorators.cache import cache_control
from drf_spectacular.utils import OpenApiParameter, OpenApiTypes, extend_schema
from rest_framework import exceptions, generics
from rest_framework.decorators import api_view
from rest_framework.response import Response

from conflictmap.atlas import outlines
from conflictmap.atlas.models import Faction, Theatre
from conflictmap.atlas.serializers import FactionSerializer, TheatreSerializer


@extend_schema(parameters=[OpenApiParameter("theatre", str, description="Only the factions of this theatre (slug).")])
class FactionList(generics.ListAPIView):
    """Every faction, coalition and status (such as contested), with its colour and coalition;
    with `theatre=`, those taking part in that war."""

    serializer_class = FactionSerializer
    pagination_class = None

    def get_queryset(self):
        factions = Faction.objects.select_related("parent").order_by("name")
        slug = self.request.query_params.get("theatre")
        return factions if slug is None else factions.filter(theatres=theatre_or_404(slug))


class TheatreList(generics.ListAPIView):
    """Every theatre as a GeoJSON feature: boundary, bbox and the date its record starts."""

    queryset = Theatre.objects.order_by("name")
    serializer_class = TheatreSerializer
    pagination_class = None


class TheatreDetail(generics.RetrieveAPIView):
    """One theatre as a GeoJSON feature: what its map page and embeds read (not every war's outline)."""

    queryset = Theatre.objects.all()
    serializer_class = TheatreSerializer
    lookup_field = "slug"

    def get_object(self):
        return theatre_or_404(self.kwargs["slug"], outline=True)


@extend_schema(responses={200: OpenApiTypes.OBJECT})
@api_view(["GET"])
@cache_control(public=True, max_age=86400)
def basemap(request, slug: str):
    """The offline basemap of a theatre outside the bundled neighbours of Syria's region: the
    Natural Earth countries around it (GeoJSON, with the `bbox` the map's view stays in)."""
    return Response(outlines.around(theatre_or_404(slug, outline=True).boundary.extent))


def theatre_or_404(slug: str, outline: bool = False) -> Theatre:
    """The theatre of a `theatre=` parameter, or a 404 that lists the known ones."""
    theatres = Theatre.objects.all() if outline else Theatre.objects.defer("boundary")  # loaded if used
    try:
        return theatres.get(slug=slug)
    except Theatre.DoesNotExist:
        known = ", ".join(Theatre.objects.values_list("slug", flat=True)) or "none yet"
        raise exceptions.NotFound(f"Unknown theatre {slug!r}. Known theatres: {known}.") from None
