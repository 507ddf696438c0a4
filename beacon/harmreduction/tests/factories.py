"""Test data for harm reduction (synthetic only), made through the services as in use:

transaction = nsp_visit(user, site)                     # 10 orange needles, today
transaction = nsp_visit(user, site, client=client)      # linked to a client
test = hepatitis_c_awaiting(nurse, client)              # sample taken, result awaited
course = hepatitis_b_course(nurse, client)              # very rapid schedule accepted
"""

import datetime

from django.utils import timezone

from beacon.core.tests.factories import SiteFactory
from beacon.harmreduction import services


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def site_of(provider, name: str = "Harbour Street hub"):
    return provider.sites.filter(name=name).first() or SiteFactory(provider=provider, name=name)


def nsp_visit(
    user,
    site,
    *,
    date=None,
    client=None,
    items=None,
    bins_out: int = 0,
    bins_returned: int = 0,
    attributor=("JS", datetime.date(1985, 2, 14), "M"),
):
    who = (
        {"client": client}
        if client is not None
        else dict(zip(("initials", "date_of_birth", "sex"), attributor, strict=True))
    )
    return services.nsp_transaction_record(
        actor=user,
        site=site,
        date=date or timezone.localdate(),
        items={"needle_orange_25g_16mm": 10} if items is None else items,
        bins_out=bins_out,
        bins_returned=bins_returned,
        **who,
    )


def hepatitis_c_awaiting(nurse, client, *, offered_on=None):
    offered_on = offered_on or days_ago(5)
    return services.bbv_test_record(
        actor=nurse,
        client=client,
        virus="hepatitis_c",
        offered_on=offered_on,
        offer="accepted",
        kind="hcv_antibody",
        tested_on=offered_on,
    )


def hepatitis_b_course(nurse, client, *, offered_on=None, schedule="very_rapid"):
    return services.hepatitis_b_course_record(
        actor=nurse,
        client=client,
        offered_on=offered_on or days_ago(60),
        offer="accepted",
        schedule=schedule,
    )
