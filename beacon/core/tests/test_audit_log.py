"""The audit log: written for reads and changes, searchable by managers, never changed."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.audit import Action, audit_record
from beacon.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(users):
    return audit_record(actor=users["keyworker"], action=Action.VIEW, detail="test")


def test_entry_cannot_be_changed_through_the_model(entry):
    entry.detail = "rewritten"
    with pytest.raises(PermissionError):
        entry.save()
    assert AuditEntry.objects.get(pk=entry.pk).detail == "test"


def test_entry_cannot_be_deleted_through_the_model(entry):
    with pytest.raises(PermissionError):
        entry.delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_entries_cannot_be_changed_or_deleted_in_bulk(entry):
    with pytest.raises(PermissionError):
        AuditEntry.objects.filter(pk=entry.pk).update(detail="rewritten")
    with pytest.raises(PermissionError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).detail == "test"


def test_database_refuses_to_change_an_entry_even_with_raw_sql(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET detail = 'rewritten' WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.get(pk=entry.pk).detail == "test"


def test_admin_offers_no_way_to_add_change_or_delete_entries(web_as, entry):
    admin = web_as("admin")
    assert admin.get(reverse("admin:core_auditentry_changelist")).status_code == 200
    assert admin.get(reverse("admin:core_auditentry_add")).status_code == 403
    assert admin.post(reverse("admin:core_auditentry_delete", args=[entry.pk])).status_code == 403
    response = admin.post(
        reverse("admin:core_auditentry_change", args=[entry.pk]), {"detail": "rewritten"}
    )
    assert response.status_code == 403
    assert AuditEntry.objects.get(pk=entry.pk).detail == "test"


def test_no_url_of_the_application_changes_or_deletes_entries():
    from django.urls import get_resolver

    routes = [str(p.pattern) for p in get_resolver().url_patterns]
    assert not [r for r in routes if "audit" in r and ("delete" in r or "edit" in r)]


def test_entry_keeps_the_role_the_user_had_at_the_time(users, entry):
    keyworker = users["keyworker"]
    keyworker.role = "manager"
    keyworker.save()
    assert AuditEntry.objects.get(pk=entry.pk).role == "keyworker"


def test_viewing_a_client_writes_an_entry_with_user_role_client_and_ip(web_as, users, team):
    client = ClientFactory(provider=team.provider, team=team)
    web_as("keyworker").get(
        reverse("clients:detail", args=[client.client_number]), REMOTE_ADDR="10.0.0.7"
    )
    # The page's own entry (sections of the page, such as the OST summary, write their own).
    entry = AuditEntry.objects.get(action=Action.VIEW, client=client, detail="")
    assert (entry.username, entry.role, entry.ip_address) == (
        "keyworker-trs",
        "keyworker",
        "10.0.0.7",
    )
    assert entry.object_type == "clients.Client"


def test_manager_searches_the_log_by_user_client_and_date(web_as, users, team):
    client = ClientFactory(provider=team.provider, team=team)
    audit_record(actor=users["keyworker"], action=Action.VIEW, obj=client, client=client)
    audit_record(actor=users["nurse"], action=Action.VIEW, detail="nurse entry")
    manager = web_as("manager")
    by_user = manager.get(reverse("core:audit_log"), {"username": "nurse-trs"})
    assert "nurse entry" in by_user.text and client.client_number not in by_user.text
    by_client = manager.get(reverse("core:audit_log"), {"client_number": client.client_number})
    assert client.client_number in by_client.text and "nurse entry" not in by_client.text
    today = timezone.localdate()
    yesterday = today - datetime.timedelta(days=1)
    in_range = manager.get(reverse("core:audit_log"), {"date_from": today, "date_to": today})
    assert "nurse entry" in in_range.text
    before = manager.get(reverse("core:audit_log"), {"date_from": yesterday, "date_to": yesterday})
    assert "nurse entry" not in before.text


def test_audit_search_with_end_before_start_explains_the_problem(web_as):
    response = web_as("manager").get(
        reverse("core:audit_log"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert "The end date must be on or after the start date" in response.text


def test_manager_sees_only_their_own_providers_entries(web_as, make_user, other_provider):
    outsider = make_user("keyworker", provider=other_provider, team=None, username="outsider")
    audit_record(actor=outsider, action=Action.VIEW, detail="other provider entry")
    response = web_as("manager").get(reverse("core:audit_log"))
    assert "other provider entry" not in response.text


def test_reading_the_audit_log_is_itself_audited(web_as, users):
    web_as("manager").get("/audit/", {"username": users["keyworker"].username})
    entry = AuditEntry.objects.get(action=AuditEntry.Action.VIEW, user=users["manager"])
    assert entry.detail.startswith("audit log page 1, searched {'username':")


def test_the_set_up_admin_shows_no_client_and_audits_what_it_shows(users, web_as):
    from beacon.clients.tests.factories import ClientFactory
    from beacon.core.audit import audit_record

    record = ClientFactory(provider=users["keyworker"].provider, last_name="Quillfeather")
    viewed = audit_record(
        actor=users["keyworker"], action=AuditEntry.Action.VIEW, obj=record, client=record
    )
    admin = web_as("admin")
    listing = admin.get("/admin/core/auditentry/")
    detail = admin.get(f"/admin/core/auditentry/{viewed.pk}/change/")
    assert listing.status_code == 200 and detail.status_code == 200
    assert "Quillfeather" not in listing.text and "Quillfeather" not in detail.text
    reads = AuditEntry.objects.filter(user=users["admin"], detail__startswith="set-up admin:")
    assert {entry.detail for entry in reads} == {
        "set-up admin: audit entries list",
        f"set-up admin: audit entries #{viewed.pk}",
    }
