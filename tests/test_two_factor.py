"""Two-factor login for staff, by setting (STAFF_TWO_FACTOR; http/admin_site.py, django-otp):
on, the admin asks for a one-time code from the account's device and lets no unverified
session in; off, it is Django's own login."""

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN = "/admin/login/?next=/admin/"


@pytest.fixture
def chief(django_user_model):
    return django_user_model.objects.create_superuser("chief", "chief@example.org", "the-right-one")


@pytest.fixture
def device(chief):
    return TOTPDevice.objects.create(user=chief, name="phone", confirmed=True)


def code_of(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_with_two_factor_on_a_password_alone_does_not_open_the_admin(client, chief, device, settings):
    settings.STAFF_TWO_FACTOR = True
    page = client.get(LOGIN).content.decode()
    assert 'name="otp_token"' in page  # the form asks for the code
    response = client.post(LOGIN, {"username": "chief", "password": "the-right-one", "otp_device": device.persistent_id,
                                   "otp_token": "000000"})  # fmt: skip
    assert response.status_code == 200 and client.get("/admin/").status_code == 302
    client.force_login(chief)  # a session by password alone, however it was made
    assert client.get("/admin/").status_code == 302


def test_with_two_factor_on_the_right_code_opens_the_admin(client, chief, device, settings):
    settings.STAFF_TWO_FACTOR = True
    response = client.post(LOGIN, {"username": "chief", "password": "the-right-one", "otp_device": device.persistent_id,
                                   "otp_token": code_of(device)})  # fmt: skip
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_with_two_factor_off_the_password_is_enough(client, chief, settings):
    settings.STAFF_TWO_FACTOR = False
    assert 'name="otp_token"' not in client.get(LOGIN).content.decode()
    assert client.post(LOGIN, {"username": "chief", "password": "the-right-one"}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_staff_member_registers_a_device_from_its_qr_code_in_the_admin(admin_client, admin_user):
    device = TOTPDevice.objects.create(user=admin_user, name="phone", confirmed=True)
    response = admin_client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/")
    assert response.status_code == 200 and response["Content-Type"].startswith("image/svg+xml")
