"""GET /api/v1/factions/ and /api/v1/theatres/: the reference data a map needs to draw; and the
theatre lookup every API view starts from."""

from rest_framework import exceptions, generics

from conflictmap.atlas.models import Faction, Theatre
from conflictmap.atlas.serializers import FactionSerializer, TheatreSerializer


class FactionList(generics.ListAPIView):
    """Every faction, coalition and status (such as contested), with its colour and coalition."""

    queryset = Faction.objects.select_related("parent").order_by("name")
    serializer_class = FactionSerializer
    pagination_class = None


class TheatreList(generics.ListAPIView):
    """Every theatre as a GeoJSON feature: boundary, bbox and the date its record starts."""

    queryset = Theatre.objects.order_by("name")
    serializer_class = TheatreSerializer
    pagination_class = None


def theatre_or_404(slug: str) -> Theatre:
    """The theatre of a `theatre=` parameter, or a 404 that lists the known ones."""
    try:
        return Theatre.objects.defer("boundary").get(slug=slug)  # a country outline: loaded if used
    except Theatre.DoesNotExist:
        known = ", ".join(Theatre.objects.values_list("slug", flat=True)) or "none yet"
        raise exceptions.NotFound(f"Unknown theatre {slug!r}. Known theatres: {known}.") from None
