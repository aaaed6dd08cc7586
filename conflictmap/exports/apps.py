from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Downloads of published data as GeoJSON, CSV, KML, GeoPackage and ZIP files (api.py); the
    full-history files written by a worker whenever a theatre's layers are published (stored.py)."""

    name = "conflictmap.exports"
    verbose_name = "Downloads"

    def ready(self) -> None:
        from conflictmap.exports.tasks import rewrite
        from conflictmap.territory.build.swap import published

        published.connect(rewrite, dispatch_uid="exports.rewrite")
