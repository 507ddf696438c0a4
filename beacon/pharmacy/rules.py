"""Who may do what at a partner pharmacy (DESIGN.md: roles).

A pharmacist works at one pharmacy (their partner organisation, of the pharmacy kind) and
records the instalments due there; nothing else. The figures per pharmacy and the list of
pharmacies with instalments not recorded are for the service's prescribers and managers.
"""

import rules

from beacon.core.models import PartnerOrganisation
from beacon.core.permissions import is_manager, is_pharmacist, is_prescriber

DISPENSE = "pharmacy.dispense"
VIEW_FIGURES = "pharmacy.view_figures"
CHASE = "pharmacy.chase"
MANAGE = "pharmacy.manage_pharmacies"


@rules.predicate
def works_at_a_pharmacy(user) -> bool:
    partner = getattr(user, "partner_organisation", None)
    return (
        partner is not None
        and partner.kind == PartnerOrganisation.Kind.PHARMACY
        and partner.provider_id == user.provider_id
    )


rules.add_perm(DISPENSE, is_pharmacist & works_at_a_pharmacy)
rules.add_perm(VIEW_FIGURES, is_prescriber | is_manager)
# Phoning a pharmacy about its unrecorded instalments: whoever reads that list.
rules.add_perm(CHASE, is_prescriber | is_manager)
# A pharmacy's details (name, ODS code, phone, address, opening hours): the service's
# managers keep them (H-148).
rules.add_perm(MANAGE, is_manager)
