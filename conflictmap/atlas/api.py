"""GET /api/v1/factions/ and /api/v1/theatres/: the reference data a map needs to draw."""

from rest_framework import generics

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
