"""Of many editors saving one item at once, exactly one wins; a save that does not say which
version it started from is refused; nothing is saved over anyone's edit."""

import threading

import pytest
from django.db import connection
from django.test import Client

from conflictmap.atlas.models import Source
from conflictmap.editorial.history import revisions_of

pytestmark = pytest.mark.django_db(transaction=True)  # each editor's request commits on its own


def save_all_at_once(user, source: Source, forms: list[dict]) -> list[int]:
    """Post each form to the source's admin page from its own thread, all released together."""
    ready, statuses = threading.Barrier(len(forms)), []

    def post(form):
        client = Client()
        client.force_login(user)
        try:
            ready.wait()
            statuses.append(client.post(f"/admin/atlas/source/{source.pk}/change/", form).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(form,)) for form in forms]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses


def form(source: Source, title: str, **more) -> dict:
    return {"url": source.url, "title": title, "publisher": source.publisher, "published_on": "2020-01-01",
            "_reason": "", **more}  # fmt: skip


def test_of_sixteen_concurrent_saves_of_one_version_exactly_one_wins(world, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    source, before = world.source, revisions_of(Source, world.source.pk).count()
    titles = [f"Title {n}" for n in range(16)]
    save_all_at_once(user, source, [form(source, title, loaded_version=source.version) for title in titles])
    source.refresh_from_db()
    assert source.version == 2 and source.title in titles
    assert revisions_of(Source, source.pk).count() == before + 1  # one save, recorded once


def test_saves_that_do_not_say_their_version_are_all_refused(world, django_user_model):
    user = django_user_model.objects.create_superuser("chief", "chief@example.org", "pw")
    source = world.source
    statuses = save_all_at_once(user, source, [form(source, f"Title {n}") for n in range(16)])
    source.refresh_from_db()
    assert (source.version, source.title) == (1, "Toyland Gazette")
    assert statuses == [200] * 16  # the form again, with the reason


def test_the_refusal_says_why(world, admin_client):
    response = admin_client.post(f"/admin/atlas/source/{world.source.pk}/change/", form(world.source, "New"))
    assert "did not say which version of the item it was opened at" in response.content.decode()
