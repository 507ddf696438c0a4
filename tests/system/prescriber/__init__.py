"""Journeys a prescriber starts: from a prescription to what follows from it."""
