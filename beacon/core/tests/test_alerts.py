"""Alerts in the menu and on their page: shown to their recipient only, counted while new."""

import pytest

from beacon.core.models import Alert
from beacon.core.services import alert_raise, alerts_mark_read

pytestmark = pytest.mark.django_db


def menu_links(web, path="/alerts/"):
    text = web.get(path).content.decode()
    return text[text.index('aria-label="Menu"') :]


def test_menu_has_no_alerts_entry_until_there_is_one(web_as, users, provider):
    keyworker = web_as("keyworker")
    assert ">Alerts" not in menu_links(keyworker, "/treatment/caseload/")
    alert_raise(
        provider=provider,
        recipients=[users["keyworker"], users["keyworker"]],
        kind=Alert.Kind.MISSED_DELIVERY,
        title="Missed delivery: a test",
        message="Parcel 261123-001 was not delivered.",
    )
    assert Alert.objects.count() == 1  # named twice, alerted once
    assert ">Alerts (1 new)<" in menu_links(keyworker, "/treatment/caseload/")
    alerts_mark_read(user=users["keyworker"])
    links = menu_links(keyworker, "/treatment/caseload/")
    assert ">Alerts<" in links and "new)" not in links


def test_inactive_recipient_gets_no_alert(users, provider):
    users["prescriber"].is_active = False
    users["prescriber"].save(update_fields=["is_active"])
    sent = alert_raise(
        provider=provider,
        recipients=[users["prescriber"], None],
        kind=Alert.Kind.MISSED_DELIVERY,
        title="t",
        message="m",
    )
    assert sent == []


def test_alerts_page_lists_only_own_alerts_and_is_audited(web_as, users, provider):
    alert_raise(
        provider=provider,
        recipients=[users["nurse"]],
        kind=Alert.Kind.MISSED_DELIVERY,
        title="Only for the nurse",
        message="m",
    )
    assert "Only for the nurse" in web_as("nurse").get("/alerts/").content.decode()
    assert "Only for the nurse" not in web_as("manager").get("/alerts/").content.decode()
    assert provider.audit_entries.filter(detail="own alerts", user=users["nurse"]).exists()
