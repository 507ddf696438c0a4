"""Checks that apps above treatment register with it (in their `AppConfig.ready()`), so
treatment can ask them without importing them."""

from collections.abc import Callable

from beacon.core.registry import Registry

# Each is called as check(episode, reason, on=discharge_date) before a discharge and raises
# a ValidationError naming the field when the discharge must not happen (prescribing: no
# successful completion while an opioid substitution prescription still supplies).
discharge_checks: Registry[Callable[..., None]] = Registry("discharge checks")
