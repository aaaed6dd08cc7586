from django.apps import AppConfig


class HttpConfig(AppConfig):
    """The plumbing under every app's views: the API's error format and query parsing, gzip,
    the response cache, read-replica routing, and system checks of settings. It imports no
    other conflictmap app (the import contract in pyproject.toml keeps it so)."""

    name = "conflictmap.http"
    verbose_name = "HTTP plumbing"

    def ready(self):
        from conflictmap.http import checks  # noqa: F401  (registers the system checks)
