from django.apps import AppConfig


class EmbedsConfig(AppConfig):
    """Maps in articles: saved map views, the embed page, oEmbed, the share control's codes, and
    the saved views' social images, drawn again whenever their theatre's layers are published."""

    name = "conflictmap.embeds"
    verbose_name = "Embeds"

    def ready(self) -> None:
        from conflictmap.embeds.social import prerender
        from conflictmap.territory.build.swap import published

        published.connect(prerender, dispatch_uid="embeds.prerender")
