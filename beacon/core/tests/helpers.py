"""Helpers for tests: the list of roles, and signing a test client in past two-factor."""

from django.test import Client as HttpClient
from django_otp import DEVICE_ID_SESSION_KEY

from beacon.core.roles import Role
from beacon.core.tests.factories import totp_device

ROLES = [role.value for role in Role]


def sign_in(http: HttpClient, user) -> HttpClient:
    """Sign `user` in as if they had passed password and two-factor."""
    http.force_login(user)
    if user.needs_two_factor:
        device = totp_device(user)
        session = http.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return http
