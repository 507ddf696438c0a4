"""Who may book, record and read appointments, contacts and case notes (DESIGN.md: roles),
and the clinical rules of follow-up (which clients the caseload flags).

Every client rule builds on the client-record rule. Keyworkers book and record for their
team's clients; prescribers and nurses, who see every client of the provider, book and
record too (a prescribing review, a blood-borne virus clinic); managers do everything and
read the team's diary and the attendance figures. Drivers, volunteers and commissioners
reach none of it.
"""

import rules
from django.conf import settings

from beacon.clients.rules import can_view_client, in_team_or_caseload, same_provider
from beacon.core.permissions import has_role, is_clinician, is_keyworker, is_manager
from beacon.core.roles import Role

# Who can be booked as the staff member of an appointment, or facilitate a group.
BOOKABLE_ROLES = (Role.KEYWORKER, Role.PRESCRIBER, Role.NURSE, Role.MANAGER)

records_for_client = same_provider & (
    is_manager | (is_keyworker & in_team_or_caseload) | has_role(Role.PRESCRIBER, Role.NURSE)
)

rules.add_perm("contacts.view_contacts", can_view_client)
rules.add_perm("contacts.record_contact", records_for_client)
rules.add_perm("contacts.view_diary", is_clinician | is_manager)
rules.add_perm("contacts.view_team_diary", is_manager)
rules.add_perm("contacts.view_follow_ups", is_clinician | is_manager)
rules.add_perm("contacts.run_groups", is_clinician | is_manager)
rules.add_perm("contacts.view_attendance", is_manager)


def not_seen_days() -> int:
    """A client on OST not seen face to face for this many days is listed (hazard H-90)."""
    return int(getattr(settings, "BEACON_CONTACTS_NOT_SEEN_DAYS", 28))
