from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """A theatre's whole record in one file, and back: `manage.py export_theatre` / `import_theatre`."""

    name = "conflictmap.backups"
    verbose_name = "Backups"
