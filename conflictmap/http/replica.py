"""Public reads from a read replica, when DATABASE_REPLICA_URL names one.

Readers far outnumber editors, and what they read (layers, events, tiles) tolerates a replica's
lag of a few hundred milliseconds. So GET and HEAD requests outside the admin read from the
replica; everything else (the admin, Celery builds, every write) uses the primary, so an
editor always sees what they just saved. Without a replica every query goes to the primary.
"""

import contextvars

from django.conf import settings

REPLICA = "replica"
_public_read: contextvars.ContextVar[bool] = contextvars.ContextVar("public_read", default=False)


class PublicReadsMiddleware:
    """Marks the requests whose reads may go to the replica (see the module docstring)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        public = request.method in ("GET", "HEAD") and not request.path.startswith("/admin/")
        token = _public_read.set(public)
        try:
            return self.get_response(request)
        finally:
            _public_read.reset(token)


class ReadReplicaRouter:
    def db_for_read(self, model, **hints) -> str | None:
        return REPLICA if _public_read.get() and REPLICA in settings.DATABASES else None

    def db_for_write(self, model, **hints) -> str | None:
        return None  # the primary

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        return True  # the replica holds the same rows

    def allow_migrate(self, db, app_label, model_name=None, **hints) -> bool:
        return db != REPLICA  # it replicates the primary's schema
