"""Who may build surveys, answer them, read what they say, and run events and "you said,
we did" (DESIGN.md: roles).

Managers build and publish surveys, start kiosks, record events and own the actions.
Staff and peer volunteers interview; only staff who may open a client's record make an
identified response or send a client a link (volunteers see no client records). The
analysis is aggregate: managers and commissioners read it, with cross-tab cells below 5
responses suppressed for everyone (H-183) and each answer's count of 1 to 4 for all but
managers (H-282); the printable consultation report, made to be shared, shows no figures
of fewer than 5 answers and no count of 1 to 4, whoever reads it (H-191, H-282). The CSV
and XLSX of responses: the service's managers, every response (anonymous ones without
identifiers); a keyworker, only the identified responses of clients they may open
(H-190). A kiosk holds no user at all: its pages check its token, not a role.
"""

import rules

from beacon.clients.rules import can_view_client
from beacon.core.permissions import has_role, is_commissioner, is_keyworker, is_manager
from beacon.core.roles import Role

STAFF = (Role.KEYWORKER, Role.PRESCRIBER, Role.NURSE, Role.MANAGER)
is_staff = has_role(*STAFF)
is_interviewer = has_role(*STAFF, Role.VOLUNTEER)

rules.add_perm("voice.view_surveys", is_interviewer | is_commissioner)
rules.add_perm("voice.manage_surveys", is_manager)
rules.add_perm("voice.interview", is_interviewer)
# An identified response, or a link sent to a client: staff who may open the record.
rules.add_perm("voice.identify_client", is_staff & can_view_client)
rules.add_perm("voice.view_analysis", is_manager | is_commissioner)
# Each answer's count on the analysis: a manager sees them all; everyone else sees counts of
# 1 to 4 as "fewer than 5" (H-282). The consultation report suppresses them for every reader.
rules.add_perm("voice.view_small_counts", is_manager)
rules.add_perm("voice.export_responses", is_manager)
# A keyworker downloads only the identified responses of clients whose record they may
# open (selectors.responses_for_export), never an anonymous one (H-190).
rules.add_perm("voice.export_identified_responses", is_keyworker)
# Reading free-text answers and tagging their themes: the service's managers.
rules.add_perm("voice.tag_themes", is_manager)
rules.add_perm("voice.view_events", is_staff | is_commissioner)
# An event's notes are what people said in the room: staff only, never commissioners.
rules.add_perm("voice.view_event_notes", is_staff)
rules.add_perm("voice.record_events", is_manager)
rules.add_perm("voice.view_actions", is_interviewer | is_commissioner)
rules.add_perm("voice.manage_actions", is_manager)
