"""The app's URLs plus the baselines the benchmark measures against (served only by `make bench`)."""

from django.urls import include, path

from bench import baselines

urlpatterns = [
    path("bench/bare/", baselines.bare_layer_view),
    path("", include("conflictmap.urls")),
]
