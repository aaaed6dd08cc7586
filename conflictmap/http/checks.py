"""System checks for settings that are wrong together, run by every manage.py command."""

from django.conf import settings
from django.core import checks

# Keys that ship in this repository (settings default, compose.yaml default): never secret.
KNOWN_KEYS = {"django-insecure-conflictmap-development-key-change-me", "change-me-in-production"}


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    if settings.SECRET_KEY in KNOWN_KEYS:
        return [
            checks.Warning(
                "SECRET_KEY is a default published in the conflictmap repository.",
                hint="Set SECRET_KEY to a long random value before the site is reachable by anyone else.",
                id="conflictmap.W001",
            )
        ]
    return []


@checks.register()
def check_default_theatre(app_configs, **kwargs):
    if not settings.DEFAULT_THEATRE:
        return [
            checks.Error(
                "DEFAULT_THEATRE is empty.", hint="Set it to a theatre slug, e.g. syria.", id="conflictmap.E001"
            )
        ]
    return []
