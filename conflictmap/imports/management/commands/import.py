"""manage.py import FILE --theatre SLUG [--format geojson|kml|kmz|acled] [--commit]: a dry run by default."""

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from conflictmap.atlas.models import Theatre
from conflictmap.imports.geojson import ImportRefused
from conflictmap.imports.plan import READERS, commit, dry_run, expected_rows, format_of

PROGRESS_EVERY = 10_000
LISTED = 1000  # rows listed per action in the report, unless -v 2 asks for all


class Command(BaseCommand):
    help = (
        "Import events and control changes from a file, as drafts. Without --commit, only report what would be "
        "created, updated and rejected (exit status 1 if anything is rejected); with it, import all of the file "
        "or, if any row is rejected, nothing. Progress goes to stderr."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--theatre", required=True, help="Theatre slug, e.g. syria.")
        parser.add_argument("--format", choices=sorted(READERS), help="Default: from the file's extension.")
        parser.add_argument("--commit", action="store_true", help="Apply it (only when nothing is rejected).")
        parser.add_argument("--user", help="Username the revisions are recorded under.")

    def handle(self, *args, **options):
        theatre = Theatre.objects.filter(slug=options["theatre"]).first()
        if theatre is None:
            known = ", ".join(Theatre.objects.values_list("slug", flat=True))
            raise CommandError(f"No theatre {options['theatre']!r}; known: {known}.")
        path: Path = options["file"]
        kind = options["format"] or format_of(path.name)
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        progress = self.progress(expected_rows(kind, data))
        try:
            if options["commit"]:
                user = get_user_model().objects.filter(username=options["user"]).first() if options["user"] else None
                result = commit(theatre, kind, data, user, path.name, progress)
            else:
                result = dry_run(theatre, kind, data, progress)
        except ImportRefused as error:
            raise CommandError(f"{path.name} refused, nothing imported: {error}") from None
        self.stdout.write(result.report(None if options["verbosity"] > 1 else LISTED))
        if result.rejected:
            self.stderr.write(f"{len(result.rejected):,} rejected: fix or remove them; nothing was imported.")
            sys.exit(1)
        if not options["commit"]:
            self.stdout.write("Dry run: nothing was imported. Run again with --commit to import it, as drafts.")
            return
        self.stdout.write(self.style.SUCCESS(result.outcome()))

    def progress(self, expected: int | None):
        """A line on stderr every PROGRESS_EVERY rows read: how many, and of about how many."""
        shown = [0]

        def say(done: int) -> None:
            if done - shown[0] >= PROGRESS_EVERY:
                shown[0] = done
                share = f" of about {expected:,} ({min(done / expected, 1):.0%})" if expected else ""
                self.stderr.write(f"  read {done:,} rows{share}...")

        return say
