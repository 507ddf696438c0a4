"""Journeys the delivery coordinator starts (a service manager planning delivery days)."""
