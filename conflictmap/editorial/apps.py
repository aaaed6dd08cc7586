from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """How edited items are kept honest: revisions, optimistic locking and the review workflow,
    with their admin side. Every edited model inherits from here, reference data included."""

    name = "conflictmap.editorial"
    verbose_name = "Editorial"
