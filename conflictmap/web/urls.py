from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

from conflictmap.web import views
from conflictmap.web.feeds import CorrectionsFeed
from conflictmap.web.health import healthz

urlpatterns = [
    path("", views.landing, name="index"),
    path("t/<slug:slug>/", views.theatre_page, name="theatre"),
    path("t/<slug:slug>/changes/", views.corrections_page, name="theatre-corrections"),
    path("t/<slug:slug>/changes/feed/", CorrectionsFeed(), name="theatre-corrections-feed"),
    path("changes/", views.corrections_page, name="corrections"),
    path("changes/feed/", CorrectionsFeed(), name="corrections-feed"),
    path("healthz", healthz, name="healthz"),
    # The interface's words for the scripts, in the ?lang= asked for (Django's catalog of the
    # djangojs domain: gettext, ngettext); loaded only by pages in another language than English.
    path("jsi18n/", cache_control(public=True, max_age=3600)(JavaScriptCatalog.as_view()), name="javascript-catalog"),
]
