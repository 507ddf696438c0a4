"""Reads for the KPI pages and API: the site and team a period is narrowed to, and the
choices of them; the dashboard's months and sites (each figure from beacon/reporting/kpis.py)."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from beacon.core.models import Provider, Site, Team
from beacon.reporting import kpis


def kpi_sites(*, provider: Provider) -> QuerySet[Site]:
    return provider.sites.all()


def kpi_teams(*, provider: Provider) -> QuerySet[Team]:
    return provider.teams.select_related("site")


def kpi_site_team(
    *, provider: Provider, site_id: int | None, team_id: int | None
) -> tuple[Site | None, Team | None]:
    """The provider's site and team of these ids (None when not asked); another
    provider's, or none of that id, is refused naming the field."""
    site = team = None
    if site_id is not None:
        site = kpi_sites(provider=provider).filter(pk=site_id).first()
        if site is None:
            raise ValidationError({"site": "No site with this id in your service"})
    if team_id is not None:
        team = kpi_teams(provider=provider).filter(pk=team_id).first()
        if team is None:
            raise ValidationError({"team": "No team with this id in your service"})
    return site, team


# The dashboard: the period a year earlier, its months, its sites ------------------------

TREND_MONTHS = 24  # the last 24 months of a longer period are charted


@dataclass(frozen=True)
class Month:
    first: datetime.date
    last: datetime.date

    @property
    def label(self) -> str:
        return f"{self.first:%B %Y}"


def months_of(*, start: datetime.date, end: datetime.date) -> list[Month]:
    """The calendar months the period touches (the first and last clipped to the period),
    the last TREND_MONTHS of them."""
    months = []
    first = start
    while first <= end:
        next_month = (first.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
        months.append(Month(first, min(end, next_month - datetime.timedelta(days=1))))
        first = next_month
    return months[-TREND_MONTHS:]


def last_complete_quarter(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The last calendar quarter (January to March, April to June…) ended before today."""
    this_quarter = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    last = this_quarter - datetime.timedelta(days=1)
    return last.replace(month=(last.month - 1) // 3 * 3 + 1, day=1), last


def twelve_months_to(end: datetime.date) -> datetime.date:
    """The first day of the 12 calendar months that end with `end`'s month."""
    index = end.year * 12 + end.month - 1 - 11
    return datetime.date(index // 12, index % 12 + 1, 1)


def kpi_period(
    start: datetime.date | None, end: datetime.date | None, *, today: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """The period the dashboard and the API show when not told: to today, from the first
    of the month 11 months before (12 calendar months, this one so far)."""
    end = end or today
    return start or twelve_months_to(end), end


def headline_counts(scope: kpis.Scope) -> dict[str, Any]:
    """The counts charted by month and compared by site (each from its one KPI)."""
    return {
        "new_presentations": kpis.new_presentations(scope)["total"],
        "in_treatment": kpis.in_treatment(scope),
        "successful_completions": kpis.successful_completions(scope)["count"],
        "kits_supplied": kpis.naloxone_kits_supplied(scope),
    }


def kpi_trend(
    *,
    provider: Provider,
    start: datetime.date,
    end: datetime.date,
    site: Site | None = None,
    team: Team | None = None,
) -> list[tuple[Month, dict[str, Any]]]:
    """The headline counts month by month (a few queries a month, none a client)."""
    return [
        (
            month,
            headline_counts(
                kpis.Scope(
                    provider=provider, start=month.first, end=month.last, site=site, team=team
                )
            ),
        )
        for month in months_of(start=start, end=end)
    ]


def kpi_by_site(
    *, provider: Provider, start: datetime.date, end: datetime.date
) -> list[tuple[Site, dict[str, Any]]]:
    """The headline counts, NSP transactions and survey responses of each site."""
    rows = []
    for site in kpi_sites(provider=provider):
        scope = kpis.Scope(provider=provider, start=start, end=end, site=site)
        nsp, satisfaction = kpis.nsp(scope), kpis.satisfaction(scope)
        rows.append(
            (
                site,
                {
                    **headline_counts(scope),
                    "nsp_transactions": nsp["transactions"] if nsp else None,
                    "satisfaction_responses": satisfaction["responses"] if satisfaction else None,
                },
            )
        )
    return rows
