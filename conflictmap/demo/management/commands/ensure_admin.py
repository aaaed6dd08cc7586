"""manage.py ensure_admin: a first superuser for a fresh demo, so /admin/ can be tried at once."""

import os
import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create the superuser 'admin' if there is no superuser yet, and print its password."

    def handle(self, *args, **options):
        users = get_user_model().objects
        if users.filter(is_superuser=True).exists():
            return
        password = os.getenv("ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        users.create_superuser("admin", "", password)
        self.stdout.write(self.style.WARNING(f"Created the superuser 'admin' with password: {password}"))
        self.stdout.write("  Change it at /admin/password_change/ before the site is public.")
