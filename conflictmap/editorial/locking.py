"""Optimistic locking: two editors saving the same item never silently overwrite each other.

Every save of a Versioned row first runs `UPDATE ... SET version = version + 1 WHERE id = %s
AND version = <the version this copy was loaded at>`. Of two concurrent saves, the second
waits for the first's row lock, then finds the version moved on, updates nothing and raises
ConflictError: the database enforces it, whatever form or script does the saving. The admin
checks the same version when the form is submitted, so the editor sees what changed meanwhile
with their own input kept (editorial/admin.py).
"""

from django.db import models, transaction
from django.db.models import F


class ConflictError(Exception):
    """The row was saved by someone else since this copy was loaded."""


class Versioned(models.Model):
    version = models.PositiveIntegerField(default=1, editable=False, help_text="Grows with every save.")

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self._state.adding:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            claimed = type(self)._base_manager.filter(pk=self.pk, version=self.version).update(version=F("version") + 1)
            if not claimed:
                raise ConflictError(
                    f"{self._meta.verbose_name.capitalize()} {self.pk} was changed by someone else after you "
                    f"opened it (your copy is version {self.version}); nothing of yours was saved over it."
                )
            self.version += 1
            return super().save(*args, **kwargs)
