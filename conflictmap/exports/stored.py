"""A theatre's full-history files, written by a Celery worker and served from disk.

At the 8-year scale the GeoPackage takes about 40 s to write and the ZIP nearly 4 minutes: more
than a web worker may spend on a request (gunicorn's timeout is 30 s). So a worker writes both
after each build is published, into EXPORTS_DIR (a volume web and worker share in compose.yaml),
and the download serves the newest file. Each file's name carries the state of the data it holds
(`state_of`); when the data has moved on since (an event published, say), the download still
serves the file it has, which says when it was written, and asks a worker for a new one.
"""

import datetime as dt
import hashlib
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max

from conflictmap.atlas.models import Theatre
from conflictmap.events.models import Event
from conflictmap.exports.formats import FORMATS, HISTORY_FORMATS, write
from conflictmap.exports.tables import history, one_snapshot
from conflictmap.territory.models import ControlChange, LayerBuild

STAMP = "%Y%m%dT%H%M%SZ"  # when a file was written, in its name


@dataclass(frozen=True)
class Stored:
    path: Path
    stem: str  # the name a download is given, without its extension
    state: str  # the state_of the data when it was written
    written_at: dt.datetime


def state_of(theatre: Theatre) -> str:
    """A short fingerprint of what a history file holds: the current build (the intervals and
    holdings), and every change and event of the theatre (count and last edit, any status: a
    retraction or a deletion changes it too)."""
    build = LayerBuild.objects.filter(theatre=theatre, is_current=True).values_list("pk", flat=True).first()
    changes = ControlChange.objects.filter(theatre=theatre).aggregate(n=Count("pk"), last=Max("updated_at"))
    events = Event.objects.filter(theatre=theatre).aggregate(n=Count("pk"), last=Max("updated_at"))
    text = f"{build}|{changes['n']}|{changes['last']}|{events['n']}|{events['last']}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def folder_of(theatre: Theatre) -> Path:
    return Path(settings.EXPORTS_DIR) / "history" / theatre.slug


def newest(theatre: Theatre, name: str) -> Stored | None:
    """The newest history file of the theatre in format `name`, if one was written."""
    extension = FORMATS[name].extension
    found = []
    for path in folder_of(theatre).glob(f"*--*--*.{extension}"):
        stem, state, written = path.name.removesuffix(f".{extension}").split("--")
        found.append(Stored(path, stem, state, dt.datetime.strptime(written, STAMP).replace(tzinfo=dt.UTC)))
    return max(found, key=lambda stored: stored.written_at, default=None)


def store(theatre: Theatre) -> str | None:
    """Write the theatre's history in every format into its folder (each file whole before it
    is renamed into place, the older ones removed after); its state, or None before a build."""
    folder = folder_of(theatre)
    folder.mkdir(parents=True, exist_ok=True)
    with one_snapshot(), tempfile.TemporaryDirectory(dir=folder, prefix=".writing-") as scratch:
        state = state_of(theatre)
        written = dt.datetime.now(dt.UTC)
        for name in HISTORY_FORMATS:
            export = history(theatre)  # its rows are read as they are written: once per file
            if export is None:
                return None
            made = write(export, name, Path(tempfile.mkdtemp(dir=scratch)))
            os.replace(made, folder / f"{export.stem}--{state}--{written:{STAMP}}.{FORMATS[name].extension}")
    for name in HISTORY_FORMATS:
        keep = newest(theatre, name)
        for path in folder.glob(f"*.{FORMATS[name].extension}"):
            if keep and path != keep.path:
                path.unlink(missing_ok=True)
    return state
