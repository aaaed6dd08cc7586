from django.apps import AppConfig


class WebConfig(AppConfig):
    """The reader-facing pages and the API's shared plumbing (errors, URL table)."""

    name = "conflictmap.web"
    verbose_name = "Web"

    def ready(self):
        from conflictmap.web import checks  # noqa: F401  (registers the system checks)
