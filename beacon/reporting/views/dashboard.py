"""The KPI dashboard (managers and commissioners): a period beside the same period a year
earlier with the change, monthly trends charted beside their tables, the sites; every table
downloads as CSV and XLSX. Commissioners see small numbers suppressed (H-224)."""

from dataclasses import dataclass
from typing import Any

from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone

from beacon.core.audit import Action, audit_request
from beacon.core.permissions import permission_required, user_can
from beacon.harmreduction.selectors import a_year_earlier
from beacon.reporting import kpis
from beacon.reporting.forms.dashboard import KpiDashboardForm
from beacon.reporting.presenters import kpis as presenters
from beacon.reporting.selectors import kpis as selectors

VIEW = "reporting.view_kpis"
SMALL_COUNTS = "reporting.view_small_counts"
TABLES = ("figures", "trend", "sites")
FORMATS = ("csv", "xlsx")


@dataclass
class Dashboard:
    form: KpiDashboardForm
    start: Any
    end: Any
    site: Any
    team: Any
    figures: list[presenters.FigureRow]
    trend: list[tuple[str, dict]]
    sites: list[tuple[str, dict]]


def dashboard_figures(
    request: HttpRequest, *, suppress: bool | None = None, quarter: bool = False
) -> Dashboard:
    """Everything the page, its downloads and the quarterly report show, suppressed for
    anyone who may not see small numbers (always, with `suppress`). With `quarter`, the
    period by default is the last complete quarter, and the trend the 12 months to its end."""
    provider = request.provider
    form = KpiDashboardForm(
        request.GET or None,
        sites=selectors.kpi_sites(provider=provider),
        teams=selectors.kpi_teams(provider=provider),
    )
    start, end = form.period()
    if quarter and not (form.is_valid() and form.cleaned_data.get("first")):
        start, end = selectors.last_complete_quarter(timezone.localdate())
    site, team = form.chosen("site"), form.chosen("team")
    if suppress is None:
        suppress = not user_can(request.user, SMALL_COUNTS)

    def shown(figures):
        return presenters.kpis_shown(figures, suppress=suppress)

    now = kpis.kpis_for_period(provider=provider, start=start, end=end, site=site, team=team)
    before = kpis.kpis_for_period(
        provider=provider,
        start=a_year_earlier(start),
        end=a_year_earlier(end),
        site=site,
        team=team,
    )
    trend_start = selectors.twelve_months_to(end) if quarter else start
    trend = selectors.kpi_trend(provider=provider, start=trend_start, end=end, site=site, team=team)
    by_site = selectors.kpi_by_site(provider=provider, start=start, end=end)
    return Dashboard(
        form=form,
        start=start,
        end=end,
        site=site,
        team=team,
        figures=presenters.figure_rows(shown(now), shown(before)),
        trend=presenters.rows_shown(
            [(month.label, counts) for month, counts in trend], suppress=suppress
        ),
        sites=presenters.rows_shown(
            [(each.name, counts) for each, counts in by_site], suppress=suppress
        ),
    )


def dashboard_context(data: Dashboard) -> dict:
    return {
        "data": data,
        "figures_tables": presenters.figures_tables(data.figures),
        "trend_table": presenters.numbers_table(
            data.trend, first="Month", measures=presenters.TREND_MEASURES, table_id="kpi-trend"
        ),
        "trend_measures": presenters.TREND_MEASURES,
        "sites_table": presenters.numbers_table(
            data.sites, first="Site", measures=presenters.SITE_MEASURES, table_id="kpi-sites"
        ),
    }


@permission_required(VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    data = dashboard_figures(request)
    return render(
        request,
        "reporting/dashboard.html",
        {
            **dashboard_context(data),
            "query": request.GET.urlencode(),
            "suppressed": not user_can(request.user, SMALL_COUNTS),
            "may_download_report": True,
        },
    )


@permission_required(VIEW)
def dashboard_download(request: HttpRequest, kpi_table: str, kpi_format: str) -> HttpResponse:
    if kpi_table not in TABLES or kpi_format not in FORMATS:
        raise Http404("No such table")
    data = dashboard_figures(request)
    audit_request(
        request,
        action=Action.EXPORT,
        detail=f"KPI {kpi_table} {data.start} to {data.end} ({kpi_format.upper()})",
    )
    period = {"start": data.start, "end": data.end}
    exporter: presenters.Exporter
    if kpi_table == "figures":
        exporter = presenters.KpiFiguresExport(data.figures, **period)
    elif kpi_table == "trend":
        exporter = presenters.KpiCountsExport(
            data.trend, first="Month", measures=presenters.TREND_MEASURES, name="trend", **period
        )
    else:
        exporter = presenters.KpiCountsExport(
            data.sites, first="Site", measures=presenters.SITE_MEASURES, name="sites", **period
        )
    return exporter.response(kpi_format)


@permission_required(VIEW)
def quarterly_report(request: HttpRequest) -> HttpResponse:
    """The commissioner's quarterly report as a PDF: figures, charts and year-on-year
    changes, small numbers suppressed whoever downloads it (it is made to be shared)."""
    # Imported here: WeasyPrint needs Pango (Debian's libpango-1.0-0 and libpangoft2-1.0-0,
    # which `make browser` brings with Chromium), and no other page should depend on it.
    from weasyprint import CSS, HTML

    data = dashboard_figures(request, suppress=True, quarter=True)
    context = dashboard_context(data)
    html = render_to_string(
        "reporting/dashboard_report.html",
        {
            **context,
            "provider": request.provider,
            "made_on": timezone.localdate(),
            "charts": [
                (key, label, presenters.bar_chart(data.trend, key))
                for key, label in presenters.TREND_MEASURES
            ],
            "chart_width": presenters.CHART_WIDTH,
            "chart_height": presenters.CHART_HEIGHT,
            "chart_foot": presenters.CHART_FOOT,
        },
        request=request,
    )
    audit_request(
        request, action=Action.EXPORT, detail=f"KPI quarterly report {data.start} to {data.end}"
    )
    # The page's style is a file of its own, as every page's is (no inline style, CSP).
    stylesheet = CSS(filename=finders.find("reporting/quarterly-report.css"))
    pdf = HTML(string=html).write_pdf(stylesheets=[stylesheet])
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"kpi-report-{data.start:%Y-%m-%d}-to-{data.end:%Y-%m-%d}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
