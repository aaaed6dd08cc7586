from django.apps import AppConfig
from django.contrib.admin import apps as admin


class HttpConfig(AppConfig):
    """The plumbing under every app's views: the API's error format and query parsing, gzip,
    the response cache, read-replica routing, and system checks of settings. It imports no
    other conflictmap app (the import contract in pyproject.toml keeps it so)."""

    name = "conflictmap.http"
    verbose_name = "HTTP plumbing"

    def ready(self):
        from conflictmap.http import checks  # noqa: F401  (registers the system checks)


class NewsroomAdminConfig(admin.AdminConfig):
    """django.contrib.admin, with http/admin_site.py's site (two-factor login when asked) as the
    one every app's admin registers with."""

    default = False  # named in INSTALLED_APPS itself; HttpConfig is this module's app
    default_site = "conflictmap.http.admin_site.NewsroomAdminSite"
