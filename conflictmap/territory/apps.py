from django.apps import AppConfig
from django.db.models import signals


class TerritoryConfig(AppConfig):
    """Dated control changes and the time-sliced layers derived from them."""

    name = "conflictmap.territory"
    verbose_name = "Territory"

    def ready(self):
        # Any save or delete of a control change, a theatre or a faction marks the layers it
        # makes stale, whoever makes it (territory/stale.py says what and why). Connected for
        # every sender, so data migrations' historical models are heard too.
        from conflictmap.territory import stale

        signals.pre_save.connect(stale.stored_fields, dispatch_uid="territory-stale-pre-save")
        signals.pre_delete.connect(stale.stored_fields, dispatch_uid="territory-stale-pre-delete")
        signals.post_save.connect(stale.after_save, dispatch_uid="territory-stale-post-save")
        signals.post_delete.connect(stale.after_delete, dispatch_uid="territory-stale-post-delete")
