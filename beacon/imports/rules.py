"""Who may move a service's history in and out (DESIGN.md: roles): its managers only. An
import writes every kind of record, clinical ones too; no other role may start one or read
its report, which names clients and their bad rows."""

import rules

from beacon.core.permissions import is_manager

IMPORT_HISTORY = "imports.import_history"

rules.add_perm(IMPORT_HISTORY, is_manager)
