"""The newsroom's people for tests of the workflow: an editor and two publishers, in the groups
the migration makes; and the values an admin change form posts back."""

import html
import re

import pytest
from django.contrib.auth.models import Group

from conflictmap.editorial import workflow


def member(django_user_model, name: str, group: str):
    user = django_user_model.objects.create_user(name, f"{name}@example.org", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return django_user_model.objects.get(pk=user.pk)  # a fresh copy: permissions are cached per object


@pytest.fixture
def people(django_user_model):
    return {
        "editor": member(django_user_model, "editor", workflow.EDITORS),
        "publisher": member(django_user_model, "publisher", workflow.PUBLISHERS),
        "second": member(django_user_model, "second", workflow.PUBLISHERS),
    }


def form_data(page: str) -> dict:
    """The values a change form would post back, from its hidden and text inputs and the single
    choices (selects) it shows selected."""
    inputs = re.findall(r'<input type="(?:hidden|text)" name="([^"]+)" value="([^"]*)"', page)
    selects = re.findall(r'<select name="([^"]+)"[^>]*>.*?<option value="([^"]*)" selected>', page, re.S)
    return {name: html.unescape(value) for name, value in [*selects, *inputs] if not name.startswith("csrf")}
