from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Loads the Syria demo theatre from fixtures/ (`manage.py load_demo`). No models of its own."""

    name = "conflictmap.demo"
    verbose_name = "Demo data"
