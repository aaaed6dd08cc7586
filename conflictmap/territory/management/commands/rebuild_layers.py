"""manage.py rebuild_layers: the Celery task's build, run in the foreground."""

from django.core.management.base import BaseCommand, CommandError

from conflictmap.atlas.models import Theatre
from conflictmap.territory.build.rebuild import rebuild


class Command(BaseCommand):
    help = "Rebuild the time-sliced control layers of one theatre or all, from the stale date onward."

    def add_arguments(self, parser):
        parser.add_argument("--theatre", help="Theatre slug (default: every theatre).")
        parser.add_argument("--full", action="store_true", help="Rebuild every date, not only stale ones.")

    def handle(self, *args, theatre=None, full=False, **options):
        theatres = Theatre.objects.all()
        if theatre:
            theatres = theatres.filter(slug=theatre)
            if not theatres:
                known = ", ".join(Theatre.objects.values_list("slug", flat=True)) or "none yet"
                raise CommandError(f"No theatre {theatre!r} (known: {known}).")
        for item in theatres:
            self.stdout.write(f"Building layers of {item.name}...")
            build = rebuild(item.pk, full=full)
            if build is None:
                self.stdout.write("  already up to date.")
            else:
                count = build.snapshots.count()
                self.stdout.write(
                    self.style.SUCCESS(
                        f"  {count} snapshots from {build.rebuilt_from:%Y-%m-%d} in {build.duration_ms / 1000:.1f} s."
                    )
                )
