"""Sign-in: password, then a TOTP code for staff; lock-out after bad passwords; idle expiry."""

import datetime

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from beacon.core.models import AuditEntry
from beacon.core.selectors import DEMO_DEVICE_NAME, demo_two_factor_code, totp_current_code
from beacon.core.tests.factories import TEST_PASSWORD, totp_device

pytestmark = pytest.mark.django_db


def password_step(user) -> HttpClient:
    http = HttpClient()
    response = http.post(
        reverse("core:login"), {"username": user.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    return http


def test_staff_member_must_pass_two_factor_before_any_page(users):
    keyworker = users["keyworker"]
    totp_device(keyworker)
    http = password_step(keyworker)
    response = http.get(reverse("clients:search"))
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("core:two_factor")


def test_right_code_signs_in_and_is_audited(users):
    keyworker = users["keyworker"]
    device = totp_device(keyworker)
    http = password_step(keyworker)
    response = http.post(reverse("core:two_factor"), {"code": totp_current_code(device)})
    assert response.status_code == 302
    assert http.get(reverse("clients:search")).status_code == 200
    assert AuditEntry.objects.filter(user=keyworker, action="sign_in").count() == 1


def test_a_code_is_used_once_and_a_second_sign_in_gets_the_next_code(users):
    """django-otp refuses a code already used; the code shown for a second sign-in within
    the same 30 seconds (the demo hint, the browser tests) is the next one, accepted."""
    keyworker = users["keyworker"]
    device = totp_device(keyworker)
    first = totp_current_code(device)
    assert (
        password_step(keyworker).post(reverse("core:two_factor"), {"code": first}).status_code
        == 302
    )
    second = password_step(keyworker)
    assert totp_current_code(device) != first
    response = second.post(reverse("core:two_factor"), {"code": totp_current_code(device)})
    assert response.status_code == 302
    assert AuditEntry.objects.filter(user=keyworker, action="sign_in").count() == 2


def test_wrong_code_is_refused_with_a_message(users):
    keyworker = users["keyworker"]
    device = totp_device(keyworker)
    http = password_step(keyworker)
    wrong = f"{(int(totp_current_code(device)) + 1) % 1000000:06d}"
    response = http.post(reverse("core:two_factor"), {"code": wrong})
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert http.get(reverse("clients:search")).status_code == 302


def test_code_must_be_six_digits(users):
    keyworker = users["keyworker"]
    totp_device(keyworker)
    http = password_step(keyworker)
    response = http.post(reverse("core:two_factor"), {"code": "12ab"})
    assert "Enter the 6 digits" in response.text


def test_staff_member_without_authenticator_is_asked_to_set_one_up(users):
    nurse = users["nurse"]
    http = password_step(nurse)
    response = http.get(reverse("core:two_factor"))
    assert response.headers["Location"] == reverse("core:two_factor_setup")
    page = http.get(reverse("core:two_factor_setup"))
    assert "<svg" in page.text and 'id="totp-secret"' in page.text
    device = nurse.totpdevice_set.get(confirmed=False)
    response = http.post(reverse("core:two_factor_setup"), {"code": totp_current_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert http.get(reverse("clients:search")).status_code == 200


def test_volunteer_signs_in_with_password_alone(users):
    http = password_step(users["volunteer"])
    # No second factor asked: home sends them on to their own day (their shifts).
    home = http.get(reverse("core:home"), follow=True)
    assert home.status_code == 200 and home.redirect_chain[-1][0] == "/volunteers/my-day/"


def test_wrong_password_shows_a_clear_message(users):
    response = HttpClient().post(
        reverse("core:login"), {"username": users["keyworker"].username, "password": "nope"}
    )
    assert "Enter a correct username and password" in response.text


def test_repeated_bad_passwords_lock_the_account(users):
    keyworker = users["keyworker"]
    http = HttpClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        http.post(reverse("core:login"), {"username": keyworker.username, "password": "wrong"})
    response = http.post(
        reverse("core:login"), {"username": keyworker.username, "password": TEST_PASSWORD}
    )
    assert response.status_code == 429
    assert "This account is locked for now" in response.text
    # Another account from the same address is unaffected.
    other = HttpClient().post(
        reverse("core:login"), {"username": users["nurse"].username, "password": TEST_PASSWORD}
    )
    assert other.status_code == 302


def test_idle_session_ends_after_thirty_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_each_request_pushes_the_idle_expiry_thirty_minutes_on(web_as):
    http = web_as("keyworker")
    http.get(reverse("core:home"))
    session = Session.objects.get(session_key=http.session.session_key)
    remaining = (session.expire_date - timezone.now()).total_seconds()
    assert 29 * 60 < remaining <= 30 * 60


def test_session_idle_past_thirty_minutes_must_sign_in_again(web_as):
    http = web_as("keyworker")
    http.get(reverse("core:home"))
    key = http.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    response = http.get(reverse("clients:search"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith(reverse("core:login"))


def test_signing_out_ends_the_session(web_as):
    http = web_as("keyworker")
    http.post(reverse("core:sign_out"))
    assert http.get(reverse("core:home")).status_code == 302


def test_demo_code_is_shown_only_with_debug_on(users, settings):
    device = totp_device(users["keyworker"])
    device.name = DEMO_DEVICE_NAME
    device.save()
    settings.DEBUG = True
    settings.BEACON_DEMO_TWO_FACTOR_HINT = True
    assert demo_two_factor_code(device) == totp_current_code(device)
    settings.DEBUG = False
    assert demo_two_factor_code(device) is None


def test_demo_code_is_never_shown_for_a_real_authenticator(users, settings):
    settings.DEBUG = True
    settings.BEACON_DEMO_TWO_FACTOR_HINT = True
    assert demo_two_factor_code(totp_device(users["keyworker"])) is None


def test_sign_in_ignores_an_off_site_next_address(users):
    keyworker = users["keyworker"]
    device = totp_device(keyworker)
    http = password_step(keyworker)
    response = http.post(
        reverse("core:two_factor") + "?next=https://evil.example/",
        {"code": totp_current_code(device)},
    )
    assert response.headers["Location"] == reverse("core:home")


def test_keyworker_starts_the_day_on_their_caseload(web_as):
    response = web_as("keyworker").get(reverse("core:home"))
    assert response.headers["Location"] == reverse("treatment:caseload")


def test_manager_home_offers_the_pages_their_role_may_open(web_as):
    response = web_as("manager").get(reverse("core:home"))
    for label in ("Caseload", "Clients", "Delivery days", "CD register", "Audit log"):
        assert label in response.text


def test_a_lock_from_one_address_does_not_lock_the_account_elsewhere(users):
    keyworker = users["keyworker"]
    guesser = HttpClient(REMOTE_ADDR="127.0.0.9")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        guesser.post(reverse("core:login"), {"username": keyworker.username, "password": "x"})
    at_their_desk = HttpClient(REMOTE_ADDR="127.0.0.2").post(
        reverse("core:login"), {"username": keyworker.username, "password": TEST_PASSWORD}
    )
    assert at_their_desk.status_code == 302
    locked = guesser.post(
        reverse("core:login"), {"username": keyworker.username, "password": TEST_PASSWORD}
    )
    assert locked.status_code == 429
    assert "they can unlock your account in Beacon" in locked.text


def test_failed_sign_ins_wrong_codes_and_enrolment_are_audited(users):
    keyworker, nurse = users["keyworker"], users["nurse"]
    HttpClient().post(reverse("core:login"), {"username": keyworker.username, "password": "x"})
    HttpClient().post(reverse("core:login"), {"username": "nobody-here", "password": "x"})
    device = totp_device(keyworker)
    http = password_step(keyworker)
    wrong = f"{(int(totp_current_code(device)) + 1) % 1000000:06d}"
    http.post(reverse("core:two_factor"), {"code": wrong})
    enrolling = password_step(nurse)
    enrolling.get(reverse("core:two_factor_setup"))
    new_device = nurse.totpdevice_set.get(confirmed=False)
    enrolling.post(reverse("core:two_factor_setup"), {"code": totp_current_code(new_device)})

    entries = AuditEntry.objects.order_by("id")
    failed = entries.filter(action=AuditEntry.Action.SIGN_IN_FAILED)
    assert [(e.user, e.detail) for e in failed] == [
        (keyworker, f"sign-in failed for {keyworker.username!r}"),
        (None, "sign-in failed for 'nobody-here'"),
    ]
    assert entries.filter(action=AuditEntry.Action.TWO_FACTOR_FAILED, user=keyworker).count() == 1
    assert entries.filter(action=AuditEntry.Action.ENROL_TWO_FACTOR, user=nurse).count() == 1


def test_an_address_guessing_across_accounts_is_locked_for_longer(users, settings, make_user):
    settings.BEACON_ADDRESS_FAILURE_LIMIT = 6
    guesser = HttpClient(REMOTE_ADDR="127.0.0.7")
    for n in range(6):  # one or two tries at each of several accounts: no account locks
        guesser.post(reverse("core:login"), {"username": f"someone-{n % 3}", "password": "x"})
    refused = guesser.post(
        reverse("core:login"), {"username": users["nurse"].username, "password": TEST_PASSWORD}
    )
    assert refused.status_code == 429
    assert "Sign-in from this address is locked" in refused.text
    elsewhere = HttpClient(REMOTE_ADDR="127.0.0.8").post(
        reverse("core:login"), {"username": users["nurse"].username, "password": TEST_PASSWORD}
    )
    assert elsewhere.status_code == 302


def test_header_names_the_user_and_offers_sign_out_only_after_the_second_factor(users):
    keyworker = users["keyworker"]
    keyworker.first_name, keyworker.last_name = "Wren", "Halloway"
    keyworker.save()
    device = totp_device(keyworker)
    http = password_step(keyworker)
    half_way = http.get(reverse("core:two_factor")).text
    assert "Wren Halloway" not in half_way and "Sign out" not in half_way
    http.post(reverse("core:two_factor"), {"code": totp_current_code(device)})
    signed_in = http.get(reverse("clients:search")).text
    assert "Wren Halloway" in signed_in and "Sign out" in signed_in
