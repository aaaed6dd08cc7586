from django.apps import AppConfig


class EventsConfig(AppConfig):
    """Dated events (strikes, clashes, statements...) with their sources."""

    name = "conflictmap.events"
    verbose_name = "Events"
