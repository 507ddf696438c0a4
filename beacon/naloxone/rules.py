"""Who may offer and supply naloxone, keep its stock and read its figures (DESIGN.md: roles),
and the clinical settings of the opt-out offer.

Keyworkers (their team's clients), nurses and prescribers offer, supply and record what
became of a kit; managers do all that, keep the stock (receipts, transfers, write-offs)
and read every figure; commissioners read the aggregated figures only, never a row that
names a person. Drivers reach nothing; peer volunteers supply only on outreach, through the
volunteers app (issue #15), and reach no naloxone page.

A pharmacist supplies kits at their own pharmacy, from its own stock (its site), to a
client dispensing there (chosen from those they already know by name and date of birth)
or to someone not linked to any client; they train the person themselves; they see their
pharmacy's kits and supplies, never a client's naloxone record (H-171).
"""

import datetime

import rules
from django.conf import settings
from django.utils import timezone

from beacon.clients.rules import can_view_client, in_team_or_caseload, same_provider
from beacon.core.permissions import (
    has_role,
    is_clinician,
    is_commissioner,
    is_manager,
    is_pharmacist,
    is_volunteer,
)
from beacon.core.roles import Role
from beacon.pharmacy import selectors as pharmacy_selectors
from beacon.pharmacy.rules import works_at_a_pharmacy

supplies_for_client = same_provider & (
    is_manager
    | (has_role(Role.KEYWORKER) & in_team_or_caseload)
    | has_role(Role.PRESCRIBER, Role.NURSE)
)

is_pharmacy_supplier = is_pharmacist & works_at_a_pharmacy


@rules.predicate
def dispenses_at_their_pharmacy(user, client) -> bool:
    """The client has a prescription dispensed at the user's pharmacy today."""
    if client is None:
        return True
    return (
        pharmacy_selectors.pharmacy_clients(user=user, today=timezone.localdate())
        .filter(pk=client.pk)
        .exists()
    )


rules.add_perm("naloxone.view_client", can_view_client)
rules.add_perm("naloxone.supply", supplies_for_client)
rules.add_perm(
    "naloxone.supply_at_pharmacy",
    same_provider & is_pharmacy_supplier & dispenses_at_their_pharmacy,
)
# A peer volunteer supplies on an outreach shift, through the volunteers app's contact (the
# person is never linked to a client); that app refuses it unless their naloxone supply
# training is in date (its check in naloxone's hooks.supply_checks, H-200).
rules.add_perm("naloxone.supply_on_outreach", is_volunteer)
# Who may give the training before a supply: staff who handle kits, the pharmacist at the
# counter, or the peer volunteer on outreach (trained to train, H-200).
rules.add_perm("naloxone.train", is_clinician | is_manager | is_pharmacy_supplier | is_volunteer)
# The service's supplies (to clients and to people linked to none, volunteers' included), to
# find a kit again and record what became of it: the staff who supply; a keyworker sees the
# supplies of their team's clients and every supply linked to no client. Never a peer
# volunteer (their own supplies only, in the volunteers app) nor a pharmacist (their
# pharmacy's page, H-171).
rules.add_perm("naloxone.view_supplies", supplies_for_client)
rules.add_perm("naloxone.view_stock", is_clinician | is_manager)
rules.add_perm("naloxone.manage_stock", is_manager)
# Lists that name clients (gaps, kits expiring): the people who act on them.
rules.add_perm("naloxone.view_lists", is_clinician | is_manager)
# Aggregated figures, nothing identifiable.
rules.add_perm("naloxone.view_figures", is_manager | is_commissioner)
# Figures broken down by keyworker name a member of staff: the service's managers only,
# never a commissioner (aggregates only, H-112).
rules.add_perm("naloxone.view_figures_by_staff", is_manager)
# Small numbers (1 to 4) in the figures: the service's managers; anyone else who reads them
# (commissioners) sees "fewer than 5", as in the NSP figures and the KPIs (H-146).
rules.add_perm("naloxone.view_small_counts", is_manager)


def expiring_days() -> int:
    """Kits expiring within this many days are listed for their keyworker (H-106)."""
    return int(getattr(settings, "BEACON_NALOXONE_EXPIRING_DAYS", 30))


def supply_shelf_from(on: datetime.date) -> datetime.date:
    """The earliest expiry a kit supplied on `on` may have: at least `expiring_days()` of
    shelf life left, so it is not due to expire as it is handed over (H-106; the figure
    needs CSO sign-off)."""
    return on + datetime.timedelta(days=expiring_days())


def seen_kit_days() -> int:
    """A kit the client showed in person (outcome "holds an in-date kit (seen)") without its
    expiry read counts as held for this many days, the day seen included: 1, that day only.
    No shorter period can be sourced (reference §6b: UK shelf life NOT FOUND), and the
    opt-out offer is asked again at the next contact (H-113). A seen kit whose expiry was
    read counts until that expiry."""
    return int(getattr(settings, "BEACON_NALOXONE_SEEN_KIT_DAYS", 1))


def seen_kit_window(on: datetime.date) -> datetime.date:
    """The earliest day a seen kit without its expiry still counts on `on`."""
    return on - datetime.timedelta(days=seen_kit_days() - 1)
