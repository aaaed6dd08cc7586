from django.urls import path
from django.views.decorators.cache import cache_control
from django.views.i18n import JavaScriptCatalog

from conflictmap.web import views
from conflictmap.web.feeds import CorrectionsFeed
from conflictmap.web.health import healthz

urlpatterns = [
    path("", views.index, name="index"),
    path("changes/", views.corrections_page, name="corrections"),
    path("changes/feed/", CorrectionsFeed(), name="corrections-feed"),
    path("healthz", healthz, name="healthz"),
    # The interface's words for the scripts, in the ?lang= asked for (Django's catalog of the
    # djangojs domain: gettext, ngettext); loaded only by pages in another language than English.
    path("jsi18n/", cache_control(public=True, max_age=3600)(JavaScriptCatalog.as_view()), name="javascript-catalog"),
]
