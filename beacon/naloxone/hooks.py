"""Checks that apps above naloxone register with it (in their `AppConfig.ready()`), so
naloxone's services can ask them without importing them."""

from collections.abc import Callable

from beacon.core.registry import Registry

# Each is called as check(actor=…, on=…) before a kit is supplied, inside the supply's
# transaction, and raises a ValidationError with the message the person supplying is shown
# when they must not supply (volunteers: a volunteer's naloxone supply training is in date).
supply_checks: Registry[Callable[..., None]] = Registry("naloxone supply checks")
