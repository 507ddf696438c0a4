"""The demo shows every KPI with a number on the dashboard for the demo period (the
dashboard's default: the 12 months to today); only outreach waits for the volunteers app."""

import io

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from beacon.core.demo import DEMO_PROVIDER
from beacon.core.models import Provider
from beacon.reporting.kpis import kpis_for_period
from beacon.reporting.presenters.kpis import SECTIONS, figure_at
from beacon.reporting.selectors.kpis import kpi_period

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())  # the demo as `make run` loads it
        yield
        transaction.set_rollback(True)


def missing_figures(kpis: dict) -> list[str]:
    return [
        f"{key} {measure}"
        for key, _heading, measures in SECTIONS
        if key != "outreach"
        for path, measure, _kind in measures
        if figure_at(kpis, key, path) is None
    ]


def test_the_demo_year_has_a_number_for_every_kpi(seeded):
    start, end = kpi_period(None, None, today=timezone.localdate())
    provider = Provider.objects.get(code=DEMO_PROVIDER["code"])
    kpis = kpis_for_period(provider=provider, start=start, end=end)

    assert missing_figures(kpis) == []
    assert kpis["in_treatment"] > 0
