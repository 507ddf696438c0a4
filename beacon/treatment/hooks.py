"""Checks that apps above treatment register with it (in their `AppConfig.ready()`), so
treatment can ask them without importing them."""

from collections.abc import Callable
from typing import Any

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

# Each is called as told(client=…, moment=…, on=…) after a moment of high overdose risk is
# saved, in its transaction: "ost_start" (a client's first OST prescription, from
# prescribing), "missed_dose_suspension" (supply suspended after missed doses, from
# prescribing), "leaving_treatment" (a discharge), "leaving_prison" (treatment started on a
# referral from prison) and "exit_plan" (an OST exit plan made: loss of tolerance, NICE
# CG52). Naloxone raises its offer due.
overdose_risk_moments: Registry[Callable[..., None]] = Registry("overdose risk moments")


def overdose_risk_told(*, client, moment: str, on) -> None:
    """Tell every app that registered (see `overdose_risk_moments`)."""
    for told in overdose_risk_moments:
        told(client=client, moment=moment, on=on)


# Each is called as clients(user=…, today=…) and returns the ids of the clients the user
# prescribes for, as a `values("client_id")` queryset (prescribing: a prescription by them
# still supplying). The prescriber's exit plan reviews list their own clients first.
prescriber_clients: Registry[Callable[..., Any]] = Registry("prescriber's clients")
