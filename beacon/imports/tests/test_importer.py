"""The importer: the same rules as a person typing, history honestly flagged, identity never
merged silently, and nothing saved unless the whole run is clean."""

import datetime

import pytest
from django.utils import timezone

from beacon.clients.tests.factories import ClientFactory
from beacon.core.models import AuditEntry
from beacon.imports.importer import HistoryImporter
from beacon.imports.models import ExternalReference
from beacon.imports.services import history_import_run
from beacon.imports.sources import CsvFolder
from beacon.imports.tests.factories import ago, one_client_files, top_row, write_files
from beacon.prescribing.models import DoseChange, Prescription
from beacon.treatment.models import RecoveryPlan, Referral, TreatmentOutcomesProfile

pytestmark = pytest.mark.django_db


def run(manager, folder, *, dry_run=False):
    return history_import_run(
        actor=manager, files=CsvFolder(folder), source="OldCase", dry_run=dry_run
    )


def test_a_28_day_prescription_of_years_ago_is_history_flagged_and_never_supplies(
    manager, tmp_path
):
    result = run(manager, write_files(tmp_path, one_client_files(prescription_days=28)))
    assert result.saved, result.problems
    prescription = Prescription.objects.get()
    assert prescription.status == Prescription.Status.ENDED
    assert prescription.instalments.count() == 0
    assert not Prescription.objects.not_over(on=timezone.localdate()).exists()
    reference = ExternalReference.objects.get(kind="prescription")
    assert reference.imported_as_history
    assert "Today's rules would refuse it" in reference.history_reason
    assert "14" in reference.history_reason
    assert result.counts["prescription refused today, kept as history"] == 1


def test_a_running_prescription_that_todays_rules_refuse_is_reported_not_saved(manager, tmp_path):
    files = one_client_files()
    files["prescriptions"][0].update(start_date=ago(5), end_date=ago(-30))
    result = run(manager, write_files(tmp_path, files))
    assert not result.saved
    assert [(p.file, p.row) for p in result.problems] == [("prescriptions", 2)]
    assert "14" in result.problems[0].reason
    assert Prescription.objects.count() == 0


def test_a_bad_nhs_number_is_named_by_file_row_column_and_value(manager, tmp_path):
    result = run(manager, write_files(tmp_path, one_client_files(nhs="9990000001")), dry_run=True)
    problem = result.problems[0]
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "clients",
        2,
        "nhs_number",
        "9990000001",
    )
    assert "NHS number" in problem.reason


def test_a_possible_duplicate_is_listed_for_a_person_to_decide_never_merged(manager, tmp_path):
    ClientFactory(
        provider=manager.provider,
        first_name="Robin",
        last_name="Madeupson",
        date_of_birth="1980-02-03",
        nhs_number="",
    )
    result = run(manager, write_files(tmp_path, one_client_files()), dry_run=True)
    assert [(p.file, p.column) for p in result.problems] == [("clients", "confirm_not_duplicate")]
    assert "Possible duplicate" in result.problems[0].reason
    confirmed = run(
        manager, write_files(tmp_path / "b", one_client_files(confirm_not_duplicate="yes"))
    )
    assert confirmed.saved
    assert manager.provider.clients.count() == 2


def test_a_client_is_matched_by_nhs_number_then_by_the_old_id_on_a_second_run(manager, tmp_path):
    files = one_client_files()
    existing = ClientFactory(
        provider=manager.provider, nhs_number=files["clients"][0]["nhs_number"]
    )
    first = run(manager, write_files(tmp_path, files))
    assert first.saved, first.problems
    assert first.counts["client matched by NHS number"] == 1
    assert Referral.objects.get().client == existing
    second = run(manager, write_files(tmp_path / "again", files))
    assert second.saved, second.problems
    assert second.counts["client already imported"] == 1
    assert second.counts["referral already imported"] == 1
    assert Referral.objects.count() == 1 and manager.provider.clients.count() == 1


def test_ndtms_codes_are_read_back_through_the_one_mapping(manager, tmp_path):
    files = one_client_files(ethnicity="", ethnicity_ndtms="A")
    files["referrals"][0].update(source="", source_ndtms="4")
    result = run(manager, write_files(tmp_path, files))
    assert result.saved, result.problems
    client = manager.provider.clients.get()
    assert client.ethnicity == "WB"
    assert Referral.objects.get().source == "self"


def test_an_ndtms_code_that_stands_for_several_values_is_refused(manager, tmp_path):
    files = one_client_files(ethnicity="", ethnicity_ndtms="C")  # Gypsy, Roma or other White
    result = run(manager, write_files(tmp_path, files), dry_run=True)
    assert [(p.column, p.value) for p in result.problems] == [("ethnicity_ndtms", "C")]


def test_a_dry_run_saves_nothing_and_is_audited_with_file_user_and_counts(manager, tmp_path):
    result = run(manager, write_files(tmp_path, one_client_files()), dry_run=True)
    assert result.problems == [] and not result.saved
    assert manager.provider.clients.count() == 0
    entry = AuditEntry.objects.filter(detail__startswith="history import").get()
    assert manager.username in entry.detail and "1 client" in entry.detail
    assert str(tmp_path) in entry.detail


def test_a_failure_half_way_leaves_nothing_behind(manager, tmp_path, monkeypatch):
    files = one_client_files()
    original = HistoryImporter._intervention

    def explode(self, *args, **kwargs):
        raise RuntimeError("the server stopped")

    files["interventions"] = [
        {
            "intervention_id": "I1",
            "client_id": "C1",
            "episode_id": "E1",
            "modality_type": "psychosocial",
            "referred_date": ago(715),
        }
    ]
    monkeypatch.setattr(HistoryImporter, "_intervention", explode)
    with pytest.raises(RuntimeError):
        run(manager, write_files(tmp_path, files))
    monkeypatch.setattr(HistoryImporter, "_intervention", original)
    assert manager.provider.clients.count() == 0
    assert Referral.objects.count() == 0
    assert ExternalReference.objects.count() == 0


def test_a_running_prescription_supplies_from_today_and_its_past_days_are_history(
    manager, tmp_path
):
    files = one_client_files()
    files["prescriptions"][0].update(start_date=ago(5), end_date=ago(-8))
    result = run(manager, write_files(tmp_path, files))
    assert result.saved, result.problems
    today = timezone.localdate()
    past, running = Prescription.objects.order_by("start_date")
    assert past.status == Prescription.Status.ENDED and past.instalments.count() == 0
    assert past.last_day == today - datetime.timedelta(days=1)
    assert running.start_date == today
    assert running.instalments.filter(date__lt=today).count() == 0
    assert running.instalments.count() == 9
    assert ExternalReference.objects.get(object_id=past.pk, kind="prescription").external_id == (
        "RX1:before-import"
    )


def _two_clients_files(*, prescription_id: str) -> dict:
    """Robin (C1) as one_client_files, and Sam (C2) with a running, titrated prescription
    whose id is `prescription_id`."""
    import random

    from bench.old_system import nhs_number

    files = one_client_files()
    files["clients"].append(
        {
            **files["clients"][0],
            "client_id": "C2",
            "nhs_number": nhs_number(random.Random(11)),
            "first_name": "Sam",
            "last_name": "Otherperson",
            "date_of_birth": "1975-06-07",
        }
    )
    files["referrals"].append({**files["referrals"][0], "referral_id": "R2", "client_id": "C2"})
    files["episodes"].append(
        {"episode_id": "E2", "client_id": "C2", "referral_id": "R2", "start_date": ago(715)}
    )
    files["prescriptions"].append(
        {
            **files["prescriptions"][0],
            "prescription_id": prescription_id,
            "client_id": "C2",
            "episode_id": "E2",
            "start_date": ago(4),
            "end_date": ago(-9),
        }
    )
    files["dose_changes"] = [
        {
            "dose_change_id": "DC9",
            "client_id": "C2",
            "prescription_id": prescription_id,
            "effective_date": ago(-2),
            "to_dose": "40",
        }
    ]
    return files


def test_an_id_on_an_earlier_row_of_another_client_is_a_bad_row_never_matched(manager, tmp_path):
    result = run(manager, write_files(tmp_path, _two_clients_files(prescription_id="RX1")))
    assert not result.saved
    assert [(p.file, p.row, p.column, p.reason) for p in result.problems] == [
        ("prescriptions", 3, "prescription_id", "This id is on an earlier row (row 2)")
    ]
    assert result.counts.get("prescription already imported", 0) == 0
    assert result.counts.get("dose_change", 0) == 0  # Sam's change never reaches Robin's


def test_an_id_an_earlier_import_gave_another_client_is_a_bad_row_naming_the_clash(
    manager, tmp_path
):
    first = run(manager, write_files(tmp_path / "one", one_client_files()))
    assert first.saved, first.problems
    robin = manager.provider.clients.get()
    files = _two_clients_files(prescription_id="RX1")
    files["prescriptions"] = files["prescriptions"][1:]  # only Sam's: RX1 again
    result = run(manager, write_files(tmp_path / "two", files), dry_run=True)
    assert [(p.file, p.column) for p in result.problems] == [("prescriptions", "prescription_id")]
    assert f"another client's prescription (client number {robin.client_number})" in (
        result.problems[0].reason
    )
    assert result.counts.get("prescription already imported", 0) == 0
    assert Prescription.objects.get().dose == 30


def test_ids_unique_in_the_file_import_and_a_second_run_matches_each_to_its_own_client(
    manager, tmp_path
):
    files = _two_clients_files(prescription_id="RX2")
    first = run(manager, write_files(tmp_path / "one", files))
    assert first.saved, first.problems
    second = run(manager, write_files(tmp_path / "two", files))
    assert second.saved, second.problems
    assert second.counts["prescription already imported"] == 2
    assert second.counts["dose_change already imported"] == 1


def _dated_in_2024_as_dd_mm_yyyy() -> dict:
    """Robin's journey of 2024 as an old system writes it, every date as dd/mm/yyyy: by text,
    05/11/2024 comes before 20/02/2024, and 05/03/2024 before 20/02/2024."""
    files = one_client_files()
    files["referrals"][0].update(
        referral_date="10/01/2024", triage_date="12/01/2024", assessment_date="15/01/2024"
    )
    files["episodes"][0].update(start_date="18/01/2024")
    files["prescriptions"][0].update(start_date="14/02/2024", end_date="12/03/2024")
    files["tops"] = [
        top_row("TOP-REVIEW", stage="review", completed_on="05/11/2024"),
        top_row("TOP-START", stage="start", completed_on="20/02/2024"),
    ]
    files["dose_changes"] = [
        {
            "dose_change_id": f"DC-{day[:2]}",
            "client_id": "C1",
            "prescription_id": "RX1",
            "effective_date": day,
            "to_dose": dose,
        }
        for day, dose in (("05/03/2024", "50"), ("20/02/2024", "40"))
    ]
    files["recovery_plans"] = [
        {
            "recovery_plan_id": plan_id,
            "client_id": "C1",
            "episode_id": "E1",
            "agreed_on": agreed,
            "next_review_date": review,
        }
        for plan_id, agreed, review in (
            ("RP-NOV", "05/11/2024", "05/02/2025"),
            ("RP-FEB", "20/02/2024", "20/05/2024"),
        )
    ]
    files["plan_goals"] = [
        {
            "plan_goal_id": f"G-{plan}",
            "client_id": "C1",
            "recovery_plan_id": f"RP-{plan}",
            "text": "Stay well",
        }
        for plan in ("NOV", "FEB")
    ]
    return files


def test_rows_are_applied_in_date_order_when_the_dates_are_dd_mm_yyyy(manager, tmp_path):
    result = run(manager, write_files(tmp_path, _dated_in_2024_as_dd_mm_yyyy()))
    assert result.saved, result.problems
    tops = TreatmentOutcomesProfile.objects.order_by("completed_on")
    assert [(t.stage, t.completed_on) for t in tops] == [
        ("start", datetime.date(2024, 2, 20)),
        ("review", datetime.date(2024, 11, 5)),
    ]
    changes = DoseChange.objects.order_by("effective_date")
    assert [(c.effective_date, c.from_dose, c.to_dose) for c in changes] == [
        (datetime.date(2024, 2, 20), 30, 40),
        (datetime.date(2024, 3, 5), 40, 50),
    ]
    assert Prescription.objects.get().dose == 50  # the last change's dose, not the earlier
    # February's plan first, then November's, which replaced it (not refused as earlier).
    plans = RecoveryPlan.objects.order_by("created_at", "pk")
    assert [plan.agreed_on for plan in plans] == [
        datetime.date(2024, 2, 20),
        datetime.date(2024, 11, 5),
    ]


def test_a_missing_or_unreadable_date_is_that_rows_problem_and_the_others_are_checked(
    manager, tmp_path
):
    files = _dated_in_2024_as_dd_mm_yyyy()
    files["tops"][0]["completed_on"] = ""  # the review, first in the file
    files["dose_changes"][1]["effective_date"] = "31/02/2024"  # no such day
    result = run(manager, write_files(tmp_path, files), dry_run=True)
    assert not result.saved
    assert sorted((p.file, p.row, p.column) for p in result.problems) == [
        ("dose_changes", 3, "effective_date"),
        ("tops", 2, "completed_on"),
    ]
    assert "must be filled in" in next(p for p in result.problems if p.file == "tops").reason
    assert "31/03/2024" in next(p for p in result.problems if p.file == "dose_changes").reason
