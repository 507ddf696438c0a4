"""Journeys about who gets in: anyone signing in, and roles kept out of records."""
