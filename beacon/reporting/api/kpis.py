"""The KPI endpoint of the JSON API: `GET /api/v1/kpis?start=&end=&site=&team=` (by
default the 12 months to today, as the dashboard): the figures of beacon/reporting/kpis.py with
the dashboard's rules: managers and commissioners, small numbers suppressed for
commissioners (H-224)."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from beacon.core.permissions import ensure_can, user_can
from beacon.core.schemas import INVALID
from beacon.reporting import kpis
from beacon.reporting.presenters.kpis import kpis_shown
from beacon.reporting.schemas.kpis import ReportingKpisOut, ReportingKpisQuery
from beacon.reporting.selectors.kpis import kpi_period, kpi_site_team

router = Router(tags=["reporting"])


@router.get(
    "kpis",
    response={200: ReportingKpisOut, **INVALID},
    summary="Every KPI for a period, one key per KPI (null: its source cannot count it)",
)
def kpis_read(request: HttpRequest, period: Query[ReportingKpisQuery]):
    ensure_can(request.user, "reporting.view_kpis")
    start, end = kpi_period(period.start, period.end, today=timezone.localdate())
    if end < start:
        raise ValidationError({"end": "The end of the period must be on or after its start"})
    site, team = kpi_site_team(provider=request.provider, site_id=period.site, team_id=period.team)
    figures = kpis.kpis_for_period(
        provider=request.provider, start=start, end=end, site=site, team=team
    )
    suppress = not user_can(request.user, "reporting.view_small_counts")
    return {
        "start": start,
        "end": end,
        "site": site.pk if site else None,
        "team": team.pk if team else None,
        "kpis": kpis_shown(figures, suppress=suppress),
    }
