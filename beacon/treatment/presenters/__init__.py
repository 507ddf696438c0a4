"""How treatment records are shown, one module per concept: journey, plans, tops, caseload."""
