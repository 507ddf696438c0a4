"""Who may do what with peer volunteers and outreach (DESIGN.md: roles).

Managers and staff (keyworkers, nurses) keep volunteers' records, training, supervision,
hours and representation, and plan shifts; only managers see a volunteer's link to a client
record. A volunteer sees their own shifts, contacts, training and supervision and nothing
else: no client search, no clinical data; they check in and out and record contacts on
their own shifts. Staff (nurses, keyworkers, managers) pick up referrals and record their
outcome. The outreach activity report is aggregate: managers and commissioners, who see a
count from 1 to 4 as "fewer than 5" (managers see every count, H-285).
"""

import rules

from beacon.core.permissions import has_role, is_commissioner, is_manager, is_volunteer
from beacon.core.roles import Role

MANAGE = "volunteers.manage"
VIEW_CLIENT_LINK = "volunteers.view_client_link"
OWN_DAY = "volunteers.own_day"
RECORD_OUTREACH = "volunteers.record_outreach"
FOLLOW_REFERRALS = "volunteers.follow_referrals"
VIEW_REPORT = "volunteers.view_report"
VIEW_SMALL_COUNTS = "volunteers.view_small_counts"

is_volunteer_staff = has_role(Role.MANAGER, Role.KEYWORKER, Role.NURSE)

rules.add_perm(MANAGE, is_volunteer_staff)
rules.add_perm(VIEW_CLIENT_LINK, is_manager)
rules.add_perm(OWN_DAY, is_volunteer)
rules.add_perm(RECORD_OUTREACH, is_volunteer)
rules.add_perm(FOLLOW_REFERRALS, is_volunteer_staff)
rules.add_perm(VIEW_REPORT, is_manager | is_commissioner)
rules.add_perm(VIEW_SMALL_COUNTS, is_manager)
