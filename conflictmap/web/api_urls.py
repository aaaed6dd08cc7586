"""The public read API, version 1. Its OpenAPI schema is generated at /api/schema/."""

from django.urls import path

from conflictmap.atlas.api import FactionList, TheatreDetail, TheatreList, basemap
from conflictmap.cards.api import CardView
from conflictmap.events.api import EventList, event_detail, event_points, event_types
from conflictmap.events.search import search
from conflictmap.exports.api import ControlExport, EventExport, HistoryExport
from conflictmap.territory.serve.api import HistoryView, PiecesView, control, control_preview
from conflictmap.territory.serve.compare import compare_dates
from conflictmap.territory.serve.confidence import control_confidence
from conflictmap.territory.serve.fronts import control_fronts
from conflictmap.territory.serve.place import control_at
from conflictmap.territory.serve.summary import summary
from conflictmap.territory.serve.timeline import timeline

urlpatterns = [
    path("control/", control, name="api-control"),
    path("control/preview/", control_preview, name="api-control-preview"),
    path("control/at/", control_at, name="api-control-at"),
    path("control/confidence/", control_confidence, name="api-control-confidence"),
    path("control/fronts/", control_fronts, name="api-control-fronts"),
    path("compare/", compare_dates, name="api-compare"),
    path("pieces/", PiecesView.as_view(), name="api-pieces"),
    path("history/", HistoryView.as_view(), name="api-history"),
    path("events/", EventList.as_view(), name="api-events"),
    path("events/points/", event_points, name="api-event-points"),
    path("events/<str:id>/", event_detail, name="api-event"),
    path("event-types/", event_types, name="api-event-types"),
    path("timeline/", timeline, name="api-timeline"),
    path("search/", search, name="api-search"),
    path("summary/", summary, name="api-summary"),
    path("factions/", FactionList.as_view(), name="api-factions"),
    path("theatres/", TheatreList.as_view(), name="api-theatres"),
    path("theatres/<str:slug>/", TheatreDetail.as_view(), name="api-theatre"),
    path("theatres/<str:slug>/basemap/", basemap, name="api-basemap"),
    path("card.png", CardView.as_view(), name="api-card"),
    path("exports/control/", ControlExport.as_view(), name="api-export-control"),
    path("exports/events/", EventExport.as_view(), name="api-export-events"),
    path("exports/history/", HistoryExport.as_view(), name="api-export-history"),
]
