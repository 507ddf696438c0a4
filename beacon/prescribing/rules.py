"""Who may read and write OST prescriptions (DESIGN.md: roles).

Every rule takes the client as its object and builds on the client-record rule.
Prescribers write prescriptions, dose changes, ends and instalment outcomes; managers do
everything except the missed-dose review, which is a prescriber's clinical decision
(beacon/prescribing/safety.py, needs_review); keyworkers (their team) and nurses read.
Drivers, volunteers and commissioners never open a prescription.
"""

import rules

from beacon.clients.rules import can_view_client, same_provider
from beacon.core.permissions import is_manager, is_prescriber

# The permissions by name, for the pages, the API and the selectors that ask for them.
VIEW = "prescribing.view_prescription"
WRITE = "prescribing.write_prescription"
REVIEW = "prescribing.review_missed_doses"
ENDING_SOON = "prescribing.view_ending_soon"
PRINT = "prescribing.print_prescription"

rules.add_perm(VIEW, can_view_client)
rules.add_perm(WRITE, same_provider & (is_prescriber | is_manager))
rules.add_perm(REVIEW, same_provider & is_prescriber)
# Lists of prescriptions to act on (ending soon) and the printed prescription: the people
# who write prescriptions.
rules.add_perm(ENDING_SOON, is_prescriber | is_manager)
rules.add_perm(PRINT, same_provider & (is_prescriber | is_manager))
