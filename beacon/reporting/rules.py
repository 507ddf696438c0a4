"""Who may read the service's figures and returns (DESIGN.md: roles).

The KPIs, the dashboard and the quarterly report: managers and commissioners;
commissioners see aggregates only, with a count from 1 to 4 shown as "fewer than 5" (and
anything derived from it not shown): a small number can identify a person. The NDTMS
return and its validation report name clients: the service's managers only (H-240).
Nobody else reads any of them.
"""

import rules

from beacon.core.permissions import is_commissioner, is_manager

rules.add_perm("reporting.view_kpis", is_manager | is_commissioner)
# Counts from 1 to 4 as they are: the service's managers only (H-224).
rules.add_perm("reporting.view_small_counts", is_manager)
rules.add_perm("reporting.view_ndtms_validation", is_manager)
rules.add_perm("reporting.export_ndtms", is_manager)
