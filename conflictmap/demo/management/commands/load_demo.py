"""manage.py load_demo: the Syria demo, loaded once, with its layers built."""

from django.core.management.base import BaseCommand

from conflictmap.demo.loader import load_demo
from conflictmap.territory.build.rebuild import rebuild


class Command(BaseCommand):
    help = "Load the Syria demo theatre (if it is not there yet) and build its layers."

    def handle(self, *args, **options):
        theatre = load_demo(progress=lambda message: self.stdout.write(f"  {message}"))
        if theatre is not None:
            self.stdout.write("Building layers...")
            build = rebuild(theatre.pk)
            self.stdout.write(self.style.SUCCESS(f"Loaded {theatre.name}: {build.snapshots.count()} snapshots built."))
