from django.apps import AppConfig


class EmbedsConfig(AppConfig):
    """Maps in articles: saved map views, the embed page, oEmbed and the share control's codes."""

    name = "conflictmap.embeds"
    verbose_name = "Embeds"
