"""manage.py export_theatre SLUG [FILE]: a theatre's whole record as JSON (backups/record.py)."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from conflictmap.atlas.models import Theatre
from conflictmap.backups.record import export_theatre


class Command(BaseCommand):
    help = "Write a theatre's record (changes, events, sources, places, factions, revisions) as JSON."

    def add_arguments(self, parser):
        parser.add_argument("theatre", help="The theatre's slug, e.g. syria.")
        parser.add_argument("file", nargs="?", help="Where to write it (default: standard output).")

    def handle(self, *args, theatre, file=None, **options):
        found = Theatre.objects.filter(slug=theatre).first()
        if found is None:
            known = ", ".join(Theatre.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No theatre {theatre!r} (known: {known}).")
        record = export_theatre(found)
        text = json.dumps(record, ensure_ascii=False, indent=1)
        if file:
            with open(file, "w", encoding="utf-8") as out:
                out.write(text)
            counts = f"{len(record['objects']):,} rows, {len(record['users'])} people"
            self.stderr.write(self.style.SUCCESS(f"Wrote {found.name} to {file}: {counts}."))
        else:
            sys.stdout.write(text)
