from django.apps import AppConfig


class WebConfig(AppConfig):
    """The reader-facing pages, feeds and the URL table of the API: the top of the house,
    which may import every app and which none imports."""

    name = "conflictmap.web"
    verbose_name = "Web"
