from django.urls import path

from conflictmap.web import views
from conflictmap.web.feeds import CorrectionsFeed
from conflictmap.web.health import healthz

urlpatterns = [
    path("", views.index, name="index"),
    path("changes/", views.corrections_page, name="corrections"),
    path("changes/feed/", CorrectionsFeed(), name="corrections-feed"),
    path("healthz", healthz, name="healthz"),
]
