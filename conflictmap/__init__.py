# The Celery app is imported here so that `@shared_task` tasks bind to it when Django starts.
from conflictmap.celery import app as celery_app

__all__ = ["celery_app"]
