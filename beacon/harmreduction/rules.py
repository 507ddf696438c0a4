"""Who may record and read NSP transactions, the NSP figures and blood-borne virus records
(DESIGN.md: roles).

NSP: staff (keyworkers, prescribers, nurses, managers) and peer volunteers record
transactions. Volunteers see no client records: they record by attributor only, see only
the transactions they recorded themselves, and never a client link. Staff link a
transaction to a client only when they may open that client's record. The figures are
aggregates: managers and commissioners read them; commissioners read nothing else, and
see a count of people or transactions below 5 as "fewer than 5".

Pharmacists record NSP at their own pharmacy (its site, H-170) as volunteers do: by
attributor only, never a client link; they see the transactions recorded at their
pharmacy and nothing else of harm reduction.

Blood-borne viruses: anyone who may open the client's record reads them; nurses (any
client of the provider) and keyworkers (their team's clients) record them — the work of
a BBV clinic or a keyworker's offer. Prescribers and managers read but do not record.
"""

import rules

from beacon.clients.rules import can_view_client, in_team_or_caseload, same_provider
from beacon.core.permissions import (
    has_role,
    is_commissioner,
    is_keyworker,
    is_manager,
    is_nurse,
    is_pharmacist,
    is_volunteer,
)
from beacon.core.roles import Role
from beacon.pharmacy.models import PharmacyProfile
from beacon.pharmacy.rules import works_at_a_pharmacy

NSP_STAFF = (Role.KEYWORKER, Role.PRESCRIBER, Role.NURSE, Role.MANAGER)
is_nsp_staff = has_role(*NSP_STAFF)
is_pharmacy_nsp = is_pharmacist & works_at_a_pharmacy


@rules.predicate
def at_their_pharmacy(user, transaction) -> bool:
    """Recorded at the site of the user's pharmacy."""
    if transaction is None:
        return True
    return PharmacyProfile.objects.filter(
        pharmacy_id=user.partner_organisation_id, site_id=transaction.site_id
    ).exists()


@rules.predicate
def recorded_it(user, transaction) -> bool:
    return transaction is None or transaction.recorded_by_id == user.pk


@rules.predicate
def transaction_of_provider(user, transaction) -> bool:
    return transaction is None or transaction.provider_id == user.provider_id


rules.add_perm("harmreduction.record_nsp", is_nsp_staff | is_volunteer | is_pharmacy_nsp)
rules.add_perm(
    "harmreduction.view_nsp",
    transaction_of_provider
    & (is_nsp_staff | (is_volunteer & recorded_it) | (is_pharmacy_nsp & at_their_pharmacy)),
)
# Choosing a client for a transaction, and seeing which client one is linked to.
rules.add_perm("harmreduction.link_client", is_nsp_staff & can_view_client)
rules.add_perm("harmreduction.view_figures", is_manager | is_commissioner)
# Counts of people and transactions below 5 in the figures: the service's managers only.
# Anyone else who reads the figures (commissioners) sees "fewer than 5" (H-127).
rules.add_perm("harmreduction.view_small_counts", is_manager)

rules.add_perm("harmreduction.view_bbv", can_view_client)
rules.add_perm(
    "harmreduction.record_bbv", same_provider & (is_nurse | (is_keyworker & in_team_or_caseload))
)
