"""Admin logins are throttled (django-axes): an account guessed at from one address is locked,
with a clear answer, and not from another address; behind a proxy, the client's own address
counts, not the proxy's."""

import pytest

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.org", "the-right-one")


def log_in(client, password: str, address: str = "203.0.113.7", **headers) -> int:
    data = {"username": "chief", "password": password, "next": "/admin/"}
    return client.post(LOGIN, data, REMOTE_ADDR=address, **headers).status_code


def test_thirty_wrong_passwords_then_the_right_one_is_refused(client, chief, settings):
    statuses = [log_in(client, f"guess-{n}") for n in range(30)]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [200] * (settings.AXES_FAILURE_LIMIT - 1)  # the form again
    assert set(statuses[settings.AXES_FAILURE_LIMIT :]) == {429}
    response = client.post(LOGIN, {"username": "chief", "password": "the-right-one"}, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 429 and "locked" in response.content.decode().lower()


def test_the_account_still_opens_from_another_address(client, chief, settings):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"guess-{n}")
    assert log_in(client, "the-right-one", address="198.51.100.20") == 302


def test_a_right_password_before_the_limit_starts_the_count_again(client, chief, settings):
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        log_in(client, f"guess-{n}")
    assert log_in(client, "the-right-one") == 302
    client.logout()
    for n in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, f"again-{n}") == 200


@pytest.fixture
def behind_a_proxy(settings):
    settings.PROXY_COUNT, settings.AXES_IPWARE_PROXY_COUNT = 1, 0  # as PROXY_COUNT=1 sets them
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
    return {"address": "127.0.0.1"}  # every request reaches the app from the proxy


def test_behind_a_proxy_the_clients_own_address_counts(client, chief, settings, behind_a_proxy):
    for n in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, f"guess-{n}", HTTP_X_FORWARDED_FOR="203.0.113.7", **behind_a_proxy)
    assert log_in(client, "the-right-one", HTTP_X_FORWARDED_FOR="203.0.113.7", **behind_a_proxy) == 429
    assert log_in(client, "the-right-one", HTTP_X_FORWARDED_FOR="198.51.100.20", **behind_a_proxy) == 302


def test_a_guesser_gains_nothing_by_writing_its_own_forwarded_header(client, chief, settings, behind_a_proxy):
    for n in range(settings.AXES_FAILURE_LIMIT):  # a new made-up address before the proxy's entry each time
        log_in(client, f"guess-{n}", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7", **behind_a_proxy)
    assert log_in(client, "the-right-one", HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7", **behind_a_proxy) == 429
    assert log_in(client, "the-right-one", HTTP_X_FORWARDED_FOR="198.51.100.20", **behind_a_proxy) == 302
