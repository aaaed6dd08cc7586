"""Celery tasks of the imports app: an admin upload's dry run and its import (imports/plan.py),
run by a worker, so that a 200,000-row ACLED export (a minute or two each) outlives no web
request (gunicorn ends a request after 30 s); how far each has read is kept in the cache for the
admin page (imports/admin.py). Idempotent: a task redelivered after its worker died finds its
upload in the same state and runs again (a commit killed midway was rolled back)."""

from celery import shared_task
from django.core.cache import cache
from django.db import transaction

from conflictmap.imports.geojson import ImportRefused
from conflictmap.imports.models import Upload
from conflictmap.imports.plan import Plan, commit, dry_run

CHECK_TASK, IMPORT_TASK = "imports.check_upload", "imports.import_upload"
LISTED = 500  # rows the page lists per action, and rejections
PROGRESS_SECONDS = 3600


def progress_key(pk: int) -> str:
    return f"imports:rows-read:{pk}"


def rows_read(upload: Upload) -> int:
    return cache.get(progress_key(upload.pk), 0)


def start(upload: Upload) -> None:
    """Enqueue the upload's next step (its dry run or its import) once the current transaction
    commits; robust: with the broker down the page keeps saying it waits for a worker."""
    task = import_upload if upload.state == Upload.State.IMPORTING else check_upload
    transaction.on_commit(lambda: task.delay(upload.pk), robust=True)


@shared_task(name=CHECK_TASK)
def check_upload(pk: int) -> None:
    run(pk, importing=False)


@shared_task(name=IMPORT_TASK)
def import_upload(pk: int) -> None:
    run(pk, importing=True)


def run(pk: int, importing: bool) -> None:
    state = Upload.State.IMPORTING if importing else Upload.State.CHECKING
    upload = Upload.objects.filter(pk=pk, state=state).first()
    if upload is None:
        return  # deleted, or done already by an earlier delivery

    def progress(done: int) -> None:
        cache.set(progress_key(pk), done, PROGRESS_SECONDS)

    data = bytes(upload.data)
    try:
        if importing:
            result = commit(upload.theatre, upload.format, data, upload.user, upload.name, progress)
        else:
            result = dry_run(upload.theatre, upload.format, data, progress)
    except ImportRefused as refused:
        upload.state, upload.summary, upload.data = Upload.State.REFUSED, {"refused": str(refused)}, b""
    else:
        upload.summary = summary_of(result)
        upload.state = Upload.State.CHECKED
        if importing and not result.rejected:
            upload.state, upload.data = Upload.State.IMPORTED, b""
            upload.summary["outcome"] = result.outcome()
    upload.save()
    cache.delete(progress_key(pk))


def summary_of(result: Plan) -> dict:
    """The report as the admin page shows it: counts, up to LISTED rows of each action and of the
    rejections, and what the file holds that is not imported."""
    actions = (("To create", result.create), ("To update", result.update),
               ("Corrections of published items, for a publisher's review: readers keep the published version "
                "until a publisher other than you approves each", result.correct))  # fmt: skip
    return {
        "report": result.report(listed_up_to=0).splitlines()[0],  # the counts, as the command says them
        "counts": {
            "create": len(result.create),
            "update": len(result.update),
            "correct": len(result.correct),
            "unchanged": result.unchanged,
            "rejected": len(result.rejected),
        },  # fmt: skip
        "listing": [
            {
                "heading": heading,
                "more": max(len(rows) - LISTED, 0),
                "rows": [{"text": f"{row.number}: {row.kind} {row.text}", "notes": row.notes} for row in rows[:LISTED]],
            }
            for heading, rows in actions
            if rows
        ],  # fmt: skip
        "rejected": [f"Feature {rejection.number}: {rejection.reason}" for rejection in result.rejected[:LISTED]],
        "ignored": [item.what for item in result.ignored],
    }
