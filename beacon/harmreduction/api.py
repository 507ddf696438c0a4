"""Harm reduction endpoints of the JSON API: NSP transactions and figures, a client's
blood-borne virus record, tests, results and hepatitis B vaccination.

Thin, like the pages: parse (schemas.py), check the role, load through the selectors
(another provider's record is a 404), call a service, return. The rules and the audit of
writes are the services', the same as the pages'; reads are audited here.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Status

from beacon.clients import selectors as client_selectors
from beacon.clients.models import Client
from beacon.clients.rules import clients_visible_to
from beacon.core.api import role_gate
from beacon.core.audit import audit_origin
from beacon.core.models import Site
from beacon.core.permissions import ensure_can, user_can
from beacon.core.schemas import INVALID, REFUSED
from beacon.harmreduction import presenters, selectors, services
from beacon.harmreduction.codes import hepatitis_b_vaccination_count
from beacon.harmreduction.models import HepatitisBCourse, NspTransaction
from beacon.harmreduction.schemas import (
    BbvResultIn,
    BbvTestIn,
    BbvTestOut,
    ClientBbvOut,
    FiguresQuery,
    HepatitisBCourseIn,
    HepatitisBCourseOut,
    HepatitisBDoseIn,
    NspTransactionIn,
    NspTransactionOut,
    NspYearOnYearOut,
)

router = Router(tags=["harm reduction"])

RECORD_NSP = "harmreduction.record_nsp"
LINK_CLIENT = "harmreduction.link_client"
VIEW_BBV = "harmreduction.view_bbv"
RECORD_BBV = "harmreduction.record_bbv"


def _site(request: HttpRequest, site_id: int | None) -> Site:
    # A pharmacist's token records at their pharmacy only: the service refuses another.
    if site_id is not None:
        site = request.provider.sites.filter(pk=site_id).first()
        if site is None:
            raise ValidationError({"site_id": "No site with this id in your service"})
        return site
    team = request.user.team
    if team is not None and team.site_id:
        return team.site
    sites = list(selectors.nsp_sites_for(user=request.user)[:2])
    if len(sites) == 1:
        return sites[0]
    raise ValidationError({"site_id": "Give the site: your account has no team site"})


def _transaction_out(request: HttpRequest, transaction: NspTransaction) -> dict:
    client = transaction.client
    shown = client is not None and user_can(request.user, LINK_CLIENT, client)
    return {
        "id": transaction.pk,
        "date": transaction.date,
        "site_id": transaction.site_id,
        "attributor": presenters.attributor_text(
            transaction, visible_client_ids={client.pk} if shown else set()
        ),
        "client_number": client.client_number if shown else None,
        "items_out": {given.item: given.quantity for given in transaction.items.all()},
        "bins_out": transaction.bins_out,
        "bins_returned": transaction.bins_returned,
    }


@router.post(
    "/transactions",
    response={201: NspTransactionOut, **INVALID},
    summary="Record an NSP transaction, by attributor or for a client",
    auth=role_gate(RECORD_NSP),
)
def transaction_record(request: HttpRequest, payload: NspTransactionIn):
    ensure_can(request.user, RECORD_NSP)
    client: Client | None = None
    if payload.client_number is not None:
        if not user_can(request.user, LINK_CLIENT):
            raise ValidationError(
                {"client_number": "Record by attributor: your role does not link clients"}
            )
        client = (
            clients_visible_to(request.user).filter(client_number=payload.client_number).first()
        )
        if client is None:
            raise ValidationError({"client_number": "No client with this number that you may open"})
        if payload.attributor is not None:
            raise ValidationError(
                {"attributor": "Give the attributor or the client_number, not both"}
            )
    elif payload.attributor is None:
        raise ValidationError({"attributor": "Give the attributor, or the client_number"})
    attributor = payload.attributor
    transaction = services.nsp_transaction_record(
        actor=request.user,
        site=_site(request, payload.site_id),
        date=payload.date,
        items=payload.items_out,
        bins_out=payload.bins_out,
        bins_returned=payload.bins_returned,
        client=client,
        initials=attributor.initials if attributor else "",
        date_of_birth=attributor.date_of_birth if attributor else None,
        sex=attributor.sex if attributor else "",
        origin=audit_origin(request),
    )
    return Status(201, _transaction_out(request, transaction))


@router.get(
    "/transactions/{int:transaction_id}",
    response={200: NspTransactionOut, **REFUSED},
    summary="One NSP transaction",
)
def transaction_read(request: HttpRequest, transaction_id: int):
    ensure_can(request.user, "harmreduction.view_nsp")
    transaction = selectors.transaction_get(user=request.user, transaction_id=transaction_id)
    services.harm_reduction_viewed(
        actor=request.user, what=f"NSP transaction {transaction.pk}", origin=audit_origin(request)
    )
    return _transaction_out(request, transaction)


@router.get(
    "/figures",
    response={200: NspYearOnYearOut, **INVALID},
    summary="NSP figures for a period beside the same period a year earlier",
)
def figures(request: HttpRequest, period: Query[FiguresQuery]):
    ensure_can(request.user, "harmreduction.view_figures")
    last = period.last or timezone.localdate()
    first = period.first or last.replace(day=1)
    if last < first:
        raise ValidationError({"last": "The end of the period must be on or after its start"})
    site = _site(request, period.site_id) if period.site_id else None
    year_on_year = selectors.nsp_year_on_year(
        provider=request.provider, first=first, last=last, site=site
    )
    suppress = not user_can(request.user, "harmreduction.view_small_counts")
    return {
        "this_year": presenters.figures_out(year_on_year.this_year, suppress=suppress),
        "year_before": presenters.figures_out(year_on_year.year_before, suppress=suppress),
    }


# Blood-borne viruses ---------------------------------------------------------------------


def _client(request: HttpRequest, client_number: str, permission: str) -> Client:
    ensure_can(request.user, permission)  # the role first: 403 whether or not it exists
    return client_selectors.client_get(
        user=request.user, client_number=client_number, permission=permission
    )


def _course_out(course: HepatitisBCourse) -> dict:
    doses = presenters.course_doses(course)
    completed = presenters.course_completed(course)
    return {
        "id": course.pk,
        "offered_on": course.offered_on,
        "offer": course.offer,
        "schedule": course.schedule,
        "doses": doses,
        "completed": completed,
        "ndtms_hepbvac": hepatitis_b_vaccination_count(len(doses), completed=completed),
    }


@router.get(
    "/clients/{str:client_number}/bbv",
    response={200: ClientBbvOut, **REFUSED},
    summary="A client's hepatitis C and HIV tests and hepatitis B vaccination",
)
def client_bbv(request: HttpRequest, client_number: str):
    client = _client(request, client_number, VIEW_BBV)
    services.harm_reduction_viewed(
        actor=request.user, what="blood-borne viruses", client=client, origin=audit_origin(request)
    )
    return {
        "client_number": client.client_number,
        "tests": list(selectors.client_bbv_tests(client=client)),
        "hepatitis_b": [_course_out(c) for c in selectors.client_hepatitis_b(client=client)],
    }


@router.post(
    "/clients/{str:client_number}/bbv/tests",
    response={201: BbvTestOut, **INVALID},
    summary="Record a hepatitis C or HIV test offered, and its sample and result if known",
    auth=role_gate(RECORD_BBV),
)
def bbv_test_record(request: HttpRequest, client_number: str, payload: BbvTestIn):
    client = _client(request, client_number, RECORD_BBV)
    data = payload.model_dump()
    for key in ("kind", "result"):
        data[key] = data[key] or ""
    test = services.bbv_test_record(
        actor=request.user, client=client, origin=audit_origin(request), **data
    )
    return Status(201, test)


@router.post(
    "/bbv/tests/{int:test_id}/result",
    response={200: BbvTestOut, **INVALID},
    summary="Record the result of an accepted test",
    auth=role_gate(RECORD_BBV),
)
def bbv_result_record(request: HttpRequest, test_id: int, payload: BbvResultIn):
    ensure_can(request.user, RECORD_BBV)
    test = selectors.bbv_test_get(user=request.user, test_id=test_id, permission=RECORD_BBV)
    return services.bbv_test_result_record(
        actor=request.user, test=test, origin=audit_origin(request), **payload.model_dump()
    )


@router.post(
    "/clients/{str:client_number}/bbv/hepatitis-b",
    response={201: HepatitisBCourseOut, **INVALID},
    summary="Record hepatitis B vaccination offered, and its schedule when accepted",
    auth=role_gate(RECORD_BBV),
)
def hepatitis_b_course_record(
    request: HttpRequest, client_number: str, payload: HepatitisBCourseIn
):
    client = _client(request, client_number, RECORD_BBV)
    course = services.hepatitis_b_course_record(
        actor=request.user,
        client=client,
        offered_on=payload.offered_on,
        offer=payload.offer,
        schedule=payload.schedule or "",
        origin=audit_origin(request),
    )
    return Status(201, _course_out(course))


@router.post(
    "/bbv/hepatitis-b/{int:course_id}/doses",
    response={201: HepatitisBCourseOut, **INVALID},
    summary="Record the next dose of a hepatitis B course",
    auth=role_gate(RECORD_BBV),
)
def hepatitis_b_dose_record(request: HttpRequest, course_id: int, payload: HepatitisBDoseIn):
    ensure_can(request.user, RECORD_BBV)
    course = selectors.hepatitis_b_course_get(
        user=request.user, course_id=course_id, permission=RECORD_BBV
    )
    services.hepatitis_b_dose_record(
        actor=request.user, course=course, given_on=payload.given_on, origin=audit_origin(request)
    )
    return Status(
        201, _course_out(selectors.hepatitis_b_course_get(user=request.user, course_id=course_id))
    )
