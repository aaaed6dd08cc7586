"""The app as a deployment may mount it: the admin and the API under other paths than ours, and
nothing at /admin/ or /api/v1/. The admin's map scripts must take their URLs from the page
(tests/test_browser_admin.py)."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("editors/", admin.site.urls),
    path("data/v1/", include("conflictmap.web.api_urls")),
]
