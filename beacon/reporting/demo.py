"""The demo's NDTMS return: last month's, from the demo's treatment journeys; seed_demo
says what it holds and how many items the manager has to fix (Reporting › NDTMS return)."""

from django.utils import timezone

from beacon.reporting.datasets import CURRENT
from beacon.reporting.forms.ndtms import last_month
from beacon.reporting.selectors.ndtms import month_period, return_issue_counts, return_journeys


def ndtms_demo_summary(org: dict) -> str:
    """Adds nothing: the return is made from the journeys the treatment seed wrote."""
    provider = org["provider"]
    first, last = month_period(last_month(timezone.localdate()))
    journeys = return_journeys(provider=provider, first=first, last=last).count()
    counts = return_issue_counts(provider=provider, first=first, last=last, version=CURRENT)
    return (
        f"NDTMS return for {first:%B %Y} in {CURRENT.name}: {journeys} journeys, "
        f"{counts.errors} errors to fix before submission, {counts.warnings} warnings"
    )
