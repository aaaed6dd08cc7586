"""The admin site, with two-factor login for staff when STAFF_TWO_FACTOR is on (django-otp).

On, a login asks for a one-time code from a device registered to the account (an authenticator
app's TOTP, or static backup codes), and a session not verified by one is not let in; off (the
default), the admin is Django's own. Register devices before turning it on: README, "Production".
"""

from django.conf import settings
from django.contrib.admin import AdminSite
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class NewsroomAdminSite(AdminSite):
    @property
    def login_form(self):  # type: ignore[override]
        return OTPAdminAuthenticationForm if settings.STAFF_TWO_FACTOR else None  # None: Django's own

    @property
    def login_template(self):  # type: ignore[override]
        return OTPAdminSite.login_template if settings.STAFF_TWO_FACTOR else None

    def has_permission(self, request):
        return super().has_permission(request) and (not settings.STAFF_TWO_FACTOR or request.user.is_verified())
