"""manage.py ensure_admin: the demo's accounts, so /admin/ and its review workflow
(conflictmap/editorial/workflow.py) can be tried at once: a superuser, an editor and a publisher.

Run by `make run`'s demo step (and by a container only when LOAD_DEMO=true): a production
deployment makes its own accounts with `manage.py createsuperuser`. Each account gets a password
of its own, printed once; ADMIN_PASSWORD, if set, is the superuser's.
"""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from conflictmap.editorial.workflow import EDITORS, PUBLISHERS


class Command(BaseCommand):
    help = (
        "If there is no superuser yet: create the demo's 'admin', 'editor' and 'publisher', and print their passwords."
    )

    def handle(self, *args, **options):
        users = get_user_model().objects
        if users.filter(is_superuser=True).exists():
            return
        created = {"admin": settings.ADMIN_PASSWORD or secrets.token_urlsafe(12)}
        users.create_superuser("admin", "", created["admin"])
        for name, group in (("editor", EDITORS), ("publisher", PUBLISHERS)):
            if not users.filter(username=name).exists():
                created[name] = secrets.token_urlsafe(12)
                users.create_user(name, "", created[name], is_staff=True).groups.add(Group.objects.get(name=group))
        self.stdout.write(
            self.style.WARNING("Created the demo's accounts (shown once; change them before the site is public):")
        )
        for name, password in created.items():
            self.stdout.write(f"  {name:<10} {password}")
        self.stdout.write("  An editor submits, another person publishes.")
