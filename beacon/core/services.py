"""Writes of the core app: sign-in records, two-factor enrolment."""

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from beacon.core.audit import Action, audit_record
from beacon.core.selectors import totp_device_for


@transaction.atomic
def sign_in_record(*, user, request) -> None:
    audit_record(actor=user, action=Action.SIGN_IN, request=request)


@transaction.atomic
def totp_device_start_enrolment(*, user) -> TOTPDevice:
    device = totp_device_for(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    return device


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice) -> None:
    device.confirmed = True
    device.save(update_fields=["confirmed"])
