"""Every demo dose is shown as a person writes it, on every page and API answer that shows it.

A Decimal's str can be exponent form ("4E+2 mg" for 400 mg): a misread dose is a hazard,
so the pages, API and register print doses through core.presenters.quantity_text only.
"""

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from beacon.core.models import User
from beacon.core.presenters import quantity_text
from beacon.core.roles import Role
from beacon.core.services import api_token_issue
from beacon.core.tests.helpers import sign_in
from beacon.prescribing.models import Prescription

pytestmark = pytest.mark.django_db

EXPONENT = re.compile(r"\dE[+-]\d")  # how a Decimal prints 400: 4E+2


def test_every_demo_dose_is_shown_without_exponent_form():
    call_command("seed_demo", "--clients", "40", stdout=io.StringIO())
    prescriptions = list(
        Prescription.objects.select_related("client", "provider").prefetch_related("instalments")
    )
    assert prescriptions
    assert any(p.dose % 10 == 0 for p in prescriptions)  # 30, 70: exponent form before
    prescriber = User.objects.get(username=Role.PRESCRIBER)
    web = sign_in(HttpClient(), prescriber)
    client = HttpClient()
    _token, raw = api_token_issue(user=prescriber, name="doses")
    api = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    for number in {
        p.client.client_number for p in prescriptions if p.provider == prescriber.provider
    }:
        page = web.get(reverse("prescribing:list", args=[number])).content.decode()
        assert not EXPONENT.search(page)
        answer = client.get(f"/api/v1/prescribing/clients/{number}/prescriptions", **api)
        assert answer.status_code == 200
        assert not EXPONENT.search(answer.content.decode())
    for prescription in prescriptions:
        if prescription.provider != prescriber.provider:
            continue
        page = web.get(reverse("prescribing:detail", args=[prescription.pk])).content.decode()
        assert not EXPONENT.search(page), prescription
        assert quantity_text(prescription.dose, "mg") in page
        for instalment in prescription.instalments.all():
            assert quantity_text(instalment.quantity, instalment.quantity_unit) in page
        answer = client.get(
            f"/api/v1/prescribing/prescriptions/{prescription.pk}/instalments", **api
        )
        assert not EXPONENT.search(answer.content.decode())
        texts = {row["quantity_text"] for row in answer.json()}
        assert texts == {quantity_text(i.quantity, "mg") for i in prescription.instalments.all()}
    manager = sign_in(HttpClient(), User.objects.get(username=Role.MANAGER))
    today = timezone.localdate().isoformat()
    for page in (
        reverse("delivery:register_index"),
        reverse("delivery:day", kwargs={"day": today}),
    ):
        answer = manager.get(page)
        assert answer.status_code == 200
        assert not EXPONENT.search(answer.content.decode()), page
