"""Who may keep the controlled-drug register (DESIGN.md: roles).

`delivery.keep_register` is the "delivery coordinator" permission: managers for now; a
role given it later reads and writes the register pages. Drivers never see the register
(their own proof of delivery comes later); keyworkers, prescribers, nurses, volunteers
and commissioners are refused. Records are scoped by the user's provider in the views.
"""

import rules

from beacon.core.permissions import is_manager

rules.add_perm("delivery.keep_register", is_manager)
