"""Journeys a keyworker starts: their clients, records and treatment journeys."""
