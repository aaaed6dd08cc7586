"""manage.py import_theatre FILE: load a record made by export_theatre, then build its layers."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from conflictmap.backups.record import RecordRefused, import_theatre
from conflictmap.territory.build.rebuild import rebuild
from conflictmap.territory.stale import mark_dirty


class Command(BaseCommand):
    help = "Load a theatre's record (from export_theatre) into a database that does not hold it yet."

    def add_arguments(self, parser):
        parser.add_argument("file", help="A file written by export_theatre.")

    def handle(self, *args, file, **options):
        try:
            with open(file, encoding="utf-8") as source:
                record = json.load(source)
            theatre = import_theatre(record)
        except (OSError, ValueError) as error:
            raise CommandError(f"Could not read {file}: {error}") from None
        except (RecordRefused, IntegrityError) as refused:
            raise CommandError(f"Nothing imported: {refused}") from None
        self.stdout.write(f"Loaded {theatre.name}: {len(record['objects']):,} rows. Building its layers...")
        mark_dirty(theatre.pk, theatre.start_date)
        build = rebuild(theatre.pk, full=True)
        self.stdout.write(self.style.SUCCESS(f"  {build.snapshots.count()} snapshots built."))
