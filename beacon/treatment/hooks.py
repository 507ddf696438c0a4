"""Checks that apps above treatment register with it (in their `AppConfig.ready()`), so
treatment can ask them without importing them."""

from collections.abc import Callable

from beacon.core.registry import Registry

# Each is called as check(episode, reason, on=discharge_date) before a discharge and raises
# a ValidationError naming the field when the discharge must not happen (prescribing: no
# successful completion while an opioid substitution prescription still supplies).
discharge_checks: Registry[Callable[..., None]] = Registry("discharge checks")

# Each is called as columns(clients, user=…) with the clients of one caseload page (a list)
# and returns {"head": [{"text": …}], "cells": {client.pk: [table cell, …]}}, in a fixed
# number of queries however many records each client has (contacts: last contact, next
# appointment, days since seen, flags). Cells come from the registering app's presenters.
caseload_columns: Registry[Callable[..., dict]] = Registry("caseload columns")
