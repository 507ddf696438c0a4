"""Who may read and record a client's treatment journey, plans and outcomes.

Every rule takes the client as its object and builds on the client-record rule:
no one records treatment for a client they may not open. Keyworkers record for
clients of their team or caseload (referrals often reach a team's duty worker);
prescribers also write exit plans, since ending substitute medication is a
clinical decision; nurses also record TOPs; managers do everything.
"""

import rules

from beacon.clients.rules import can_view_client, in_team_or_caseload, same_provider
from beacon.core.permissions import has_role, is_keyworker, is_manager

keyworker_for = is_keyworker & in_team_or_caseload

rules.add_perm("treatment.view_journey", can_view_client)
rules.add_perm("treatment.record_journey", same_provider & (is_manager | keyworker_for))
rules.add_perm(
    "treatment.record_plan",
    same_provider & (is_manager | keyworker_for | has_role("prescriber")),
)
rules.add_perm(
    "treatment.record_top", same_provider & (is_manager | keyworker_for | has_role("nurse"))
)
rules.add_perm("treatment.view_caseload", is_keyworker | is_manager)
# The whole service's caseload leaves Beacon as a file only in a manager's hands.
rules.add_perm("treatment.export_caseload", is_manager)

# The list of TOPs due: a nurse records TOPs too (treatment.record_top), so finds them here.
rules.add_perm("treatment.view_tops_due", is_keyworker | is_manager | has_role("nurse"))

# The exit plan reviews due, as a page and a file: the prescriber's worklist list (ending
# substitute medication is a clinical decision), and a manager's.
rules.add_perm("treatment.view_exit_plan_reviews", is_manager | has_role("prescriber"))
