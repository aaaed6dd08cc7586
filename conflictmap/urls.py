from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from conflictmap.territory.serve.tiles import tile

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/", include("conflictmap.web.api_urls")),
    path("tiles/<slug:theatre>/<str:date>/<int:z>/<int:x>/<int:y>.mvt", tile, name="tile"),
    path("", include("conflictmap.embeds.urls")),
    path("", include("conflictmap.web.urls")),
]
