from django.apps import AppConfig


class TerritoryConfig(AppConfig):
    """Dated control changes and the time-sliced layers derived from them."""

    name = "conflictmap.territory"
    verbose_name = "Territory"
