from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Downloads of published data as GeoJSON, CSV, KML, GeoPackage and ZIP files (api.py)."""

    name = "conflictmap.exports"
    verbose_name = "Downloads"
