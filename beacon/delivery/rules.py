"""Who may keep the controlled-drug register (DESIGN.md: roles).

`delivery.keep_register` is the "delivery coordinator" permission: managers for now; a
role given it later reads and writes the register pages. Drivers never see the register
(their own proof of delivery comes later); keyworkers, prescribers, nurses, volunteers
and commissioners are refused. Records are scoped by the user's provider in the views.
"""

import rules

from beacon.clients.rules import in_team_or_caseload, same_provider
from beacon.core.permissions import has_role, is_driver, is_keyworker, is_manager
from beacon.core.roles import Role

rules.add_perm("delivery.keep_register", is_manager)

# Who may witness the destruction of a controlled drug (register stock or patient returns):
# managers and prescribers. Reg 27 asks for a person authorised to witness; in a service
# that is whom its controlled-drugs accountable officer authorises: the senior staff who
# answer for the register (managers) and the clinicians who prescribe the drugs. Nurses,
# keyworkers, drivers and volunteers are not offered (the narrower default; a service that
# authorises its nurses adds Role.NURSE here). The witness is a second person: never the
# user recording the destruction (services/register.py).
WITNESS_ROLES = (Role.MANAGER, Role.PRESCRIBER)
rules.add_perm("delivery.witness_destruction", has_role(*WITNESS_ROLES))

# Delivery set-up (beacon/delivery/views/setup.py): managers keep the vehicles and drivers'
# shifts; a client's delivery details are kept by managers and by keyworkers for clients of
# their own team or caseload. Drivers, volunteers, commissioners, prescribers and nurses are
# refused (a driver reads only their own round, which comes later).
rules.add_perm("delivery.manage_setup", is_manager)
rules.add_perm(
    "delivery.edit_delivery_details",
    same_provider & (is_manager | (is_keyworker & in_team_or_caseload)),
)

# Delivery planning (beacon/delivery/views/planning.py): the coordinator plans a day's
# rounds and moves stops between them: managers for now. Drivers (who will see only their
# own round later), keyworkers, prescribers, nurses, volunteers and commissioners are refused.
rules.add_perm("delivery.plan_rounds", is_manager)

# The police notice (beacon/delivery/views/police.py): which drivers and vehicles carry
# controlled drugs on a day, and records of sending it to the police: managers only.
rules.add_perm("delivery.police_notice", is_manager)

# The driver's run sheet (beacon/delivery/views/runsheet.py): drivers only, and only their
# own round of today (the views load stops through the driver's own shift). Handing a
# round's parcels over and taking undelivered ones back are register movements
# (`delivery.keep_register`).
rules.add_perm("delivery.drive_round", is_driver)
