"""manage.py ensure_admin: first accounts for a fresh demo, so /admin/ and its review workflow
(conflictmap/editorial/workflow.py) can be tried at once: a superuser, an editor and a publisher."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from conflictmap.editorial.workflow import EDITORS, PUBLISHERS


class Command(BaseCommand):
    help = "If there is no superuser yet: create 'admin', 'editor' and 'publisher', and print their password."

    def handle(self, *args, **options):
        users = get_user_model().objects
        if users.filter(is_superuser=True).exists():
            return
        password = settings.ADMIN_PASSWORD or secrets.token_urlsafe(12)
        users.create_superuser("admin", "", password)
        for name, group in (("editor", EDITORS), ("publisher", PUBLISHERS)):
            if not users.filter(username=name).exists():
                users.create_user(name, "", password, is_staff=True).groups.add(Group.objects.get(name=group))
        self.stdout.write(
            self.style.WARNING(f"Created 'admin' (superuser), 'editor' and 'publisher', password: {password}")
        )
        self.stdout.write(
            "  An editor submits, another person publishes. Change the passwords before the site is public."
        )
