from django.apps import AppConfig


class AtlasConfig(AppConfig):
    """Reference data every other app points at: theatres, factions, places and sources."""

    name = "conflictmap.atlas"
    verbose_name = "Atlas"
