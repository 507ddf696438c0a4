"""Shapes of the treatment API, one module per concept: journey, plans, tops."""
