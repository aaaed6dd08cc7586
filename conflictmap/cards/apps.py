from django.apps import AppConfig
from django.core import checks

from conflictmap.lib.card import font_problem


class CardsConfig(AppConfig):
    """The social image of a map view (Open Graph / Twitter card): images.py, api.py, tasks.py."""

    name = "conflictmap.cards"
    verbose_name = "Cards"

    def ready(self):
        checks.register(check_card_text)


def check_card_text(app_configs, **kwargs):
    """Cards draw their text with DejaVu Sans through libraqm: without them a card would fail
    (no font) or draw Arabic unshaped. Said at every manage.py command, not at the first card."""
    if problem := font_problem():
        return [
            checks.Error(
                problem,
                hint="Run scripts/setup.sh (it installs fonts-dejavu-core and libfribidi0), then pip install "
                "-r requirements.txt (Pillow's wheels bring libraqm).",
                id="cards.E001",
            )
        ]
    return []
