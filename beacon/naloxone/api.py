"""Naloxone endpoints of the JSON API: stock receipts, offers, supplies (answering the
supply's id and the kit's expiry, the stock moved in the same transaction), reports of what
became of a kit, and the coverage figures.

Thin, like the pages: parse (schemas.py), check the role, load through the selectors
(another provider's record is a 404), call a service, return. The rules and the audit of
writes are the services', the same as the pages'.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from beacon.clients import selectors as client_selectors
from beacon.core.api import role_gate
from beacon.core.audit import Action, audit_origin, audit_request
from beacon.core.models import Site, User
from beacon.core.permissions import ensure_can, user_can
from beacon.core.schemas import INVALID, REFUSED
from beacon.naloxone import presenters, selectors, services
from beacon.naloxone.models import KitBatch, OfferOutcome
from beacon.naloxone.schemas import (
    CoverageOut,
    CoverageRowOut,
    NaloxonePharmacyOut,
    NaloxonePharmacyStockOut,
    NaloxonePharmacySupplyIn,
    NaloxonePharmacySupplyOut,
    OfferIn,
    OfferOut,
    ReportIn,
    ReportOut,
    StockEntryOut,
    StockReceiptIn,
    SupplyIn,
    SupplyOut,
    TrainingIn,
)
from beacon.pharmacy import selectors as pharmacy_selectors

router = Router(tags=["naloxone"])
SUPPLY = "naloxone.supply"
MANAGE_STOCK = "naloxone.manage_stock"


def _site(request: HttpRequest, site_id: int | None) -> Site | None:
    if site_id is None:
        return None
    site = request.provider.sites.filter(pk=site_id).first()
    if site is None:
        raise ValidationError({"site_id": "No site with this id in your service"})
    return site


@router.post(
    "/stock/receipts",
    response={201: StockEntryOut, **INVALID},
    summary="Kits received into a site's stock",
    auth=role_gate(MANAGE_STOCK),
)
def stock_receipt(request: HttpRequest, payload: StockReceiptIn):
    ensure_can(request.user, MANAGE_STOCK)
    entry = services.stock_receive(
        actor=request.user,
        site=_site(request, payload.site_id),
        kit_type=payload.kit_type,
        batch_number=payload.batch,
        expires_on=payload.expiry,
        quantity=payload.quantity,
        on=payload.date,
        pack_contents=payload.pack_contents,
        origin=audit_origin(request),
    )
    return Status(201, entry)


@router.post(
    "/clients/{str:client_number}/offers",
    response={201: OfferOut, **INVALID},
    summary="The opt-out offer's outcome: supplied (with the kit and the training, which "
    "records the supply and moves the stock), declined (with a reason) or holds a kit",
    auth=role_gate(SUPPLY),
)
def offer_record(request: HttpRequest, client_number: str, payload: OfferIn):
    ensure_can(request.user, SUPPLY)
    client = client_selectors.client_get(
        user=request.user, client_number=client_number, permission=SUPPLY
    )
    supply = None
    if payload.outcome == OfferOutcome.SUPPLIED:
        missing = {
            name: f'Give the {what} with "supplied" (or record the supply with POST '
            "/api/v1/naloxone/supplies)"
            for name, what in (
                ("kit_type", "kit type"),
                ("batch", "batch"),
                ("training", "training"),
            )
            if not getattr(payload, name)
        }
        if missing:
            raise ValidationError(missing)
        batch, site = _batch_and_site(request, payload)
        supply = {
            "batch": batch,
            "site": site,
            "trained_by": _trainer(request, payload.training),
            "training_topics": payload.training.topics,
        }
    offer = services.offer_record(
        actor=request.user,
        client=client,
        on=payload.date,
        outcome=payload.outcome,
        decline_reason=payload.decline_reason or "",
        supply=supply,
        in_person=payload.in_person,
        seen_kit_expires_on=payload.seen_kit_expiry,
        origin=audit_origin(request),
    )
    return Status(201, offer)


def _trainer(request: HttpRequest, training: TrainingIn) -> User | None:
    """Who trained them: the caller, unless another of the service's staff is named (one not
    of the service is None, which the supply refuses)."""
    if training.trained_by_id is None:
        return request.user
    return request.provider.users.filter(pk=training.trained_by_id).first()


def _batch_and_site(request: HttpRequest, payload: SupplyIn | OfferIn) -> tuple[KitBatch, Site]:
    batch = selectors.batch_find(
        provider=request.provider, kit_type=payload.kit_type, batch_number=payload.batch
    )
    if batch is None:
        raise ValidationError({"batch": "No batch with this number of this kit type in stock"})
    site = _site(request, payload.site_id)
    if site is None:
        sites = selectors.sites_holding(batch=batch)[:2]
        if len(sites) != 1:
            raise ValidationError(
                {
                    "site_id": "Give the site the kit came from: "
                    + (
                        "no site holds this batch"
                        if not sites
                        else "more than one holds this batch"
                    )
                }
            )
        site = sites[0]
    return batch, site


@router.post(
    "/supplies",
    response={201: SupplyOut, **INVALID},
    summary="A kit supplied after training; answers its id and expiry (stock moves with it)",
    auth=role_gate(SUPPLY),
)
def supply_record(request: HttpRequest, payload: SupplyIn):
    ensure_can(request.user, SUPPLY)
    client = None
    if payload.client_number:
        client = client_selectors.client_get(
            user=request.user, client_number=payload.client_number, permission=SUPPLY
        )
    trained_by = _trainer(request, payload.training)
    batch, site = _batch_and_site(request, payload)
    supply = services.supply_record(
        actor=request.user,
        client=client,
        batch=batch,
        site=site,
        recipient=payload.recipient,
        recipient_name=payload.recipient_name,
        on=payload.date,
        trained_by=trained_by,
        training_topics=payload.training.topics,
        origin=audit_origin(request),
    )
    return Status(201, supply)


@router.post(
    "/supplies/{int:supply_id}/reports",
    response={201: ReportOut, **INVALID},
    summary="A kit used (on whom, outcome, ambulance), lost, confiscated or expired",
    auth=role_gate(SUPPLY),
)
def report_record(request: HttpRequest, supply_id: int, payload: ReportIn):
    ensure_can(request.user, SUPPLY)
    supply = selectors.supply_get(user=request.user, supply_id=supply_id, permission=SUPPLY)
    report = services.report_record(
        actor=request.user,
        supply=supply,
        kind=payload.kind,
        on=payload.date,
        used_on=payload.used_on or "",
        outcome=payload.outcome or "",
        ambulance_called=payload.ambulance_called,
        origin=audit_origin(request),
    )
    return Status(201, report)


def _row(row) -> CoverageRowOut:
    return CoverageRowOut(
        label=row.label, holding=row.holding, total=row.total, percent=row.percent
    )


@router.get(
    "/coverage",
    response={200: CoverageOut, **REFUSED},
    summary="Coverage today (overall, by site, team and, for managers, keyworker: null for a "
    "commissioner, who sees no staff named) and its trend by month; for a commissioner a "
    'count from 1 to 4 is "fewer than 5" and a figure giving one away "not shown"',
)
def coverage(request: HttpRequest):
    ensure_can(request.user, "naloxone.view_figures")
    today = timezone.localdate()
    by_staff = user_can(request.user, "naloxone.view_figures_by_staff")
    c = selectors.coverage(provider=request.provider, on=today, by_keyworker=by_staff)
    trend = selectors.coverage_trend(provider=request.provider, last=today)
    shown = presenters.coverage_tables(
        c, trend, suppress=not user_can(request.user, "naloxone.view_small_counts")
    )
    audit_request(request, action=Action.VIEW, detail="naloxone coverage")
    return CoverageOut(
        date=today,
        overall=_row(shown["overall"][0]),
        by_site=[_row(r) for r in shown["by_site"]],
        by_team=[_row(r) for r in shown["by_team"]],
        by_keyworker=[_row(r) for r in shown["by_keyworker"]] if by_staff else None,
        trend=[_row(r) for r in shown["trend"]],
    )


# At a partner pharmacy (H-171) ----------------------------------------------------------

PHARMACY_SUPPLY = "naloxone.supply_at_pharmacy"


@router.get(
    "/pharmacy",
    response={200: NaloxonePharmacyOut, **REFUSED},
    summary="The pharmacist's pharmacy: its kits in stock and the kits supplied there this month",
)
def pharmacy_naloxone(request: HttpRequest):
    ensure_can(request.user, PHARMACY_SUPPLY)
    today = timezone.localdate()
    stock = selectors.pharmacy_stock(user=request.user, on=today)
    supplies = selectors.pharmacy_supplies(user=request.user, first=today.replace(day=1))
    audit_request(request, action=Action.VIEW, detail="naloxone at the pharmacy")
    return NaloxonePharmacyOut(
        stock=[
            NaloxonePharmacyStockOut(
                kit_type=b.batch.kit_type,
                batch=b.batch.batch_number,
                expiry=b.batch.expires_on,
                kits=b.balance,
            )
            for b in stock
        ],
        supplies=list(supplies),
    )


@router.post(
    "/pharmacy/supplies",
    response={201: NaloxonePharmacySupplyOut, **INVALID},
    summary="A kit supplied at the pharmacy, from its own stock, after the pharmacist "
    "trained the person",
    auth=role_gate(PHARMACY_SUPPLY),
)
def pharmacy_supply(request: HttpRequest, payload: NaloxonePharmacySupplyIn):
    ensure_can(request.user, PHARMACY_SUPPLY)
    client = None
    if payload.instalment_id is not None:
        client = pharmacy_selectors.pharmacy_instalment_get(
            user=request.user, instalment_id=payload.instalment_id
        ).prescription.client
    batch = selectors.batch_find(
        provider=request.provider, kit_type=payload.kit_type, batch_number=payload.batch
    )
    site = pharmacy_selectors.pharmacy_site(user=request.user)
    if batch is None or site is None:
        raise ValidationError({"batch": "No batch with this number in your pharmacy's stock"})
    supply = services.supply_record(
        actor=request.user,
        client=client,
        batch=batch,
        site=site,
        recipient=payload.recipient,
        recipient_name=payload.recipient_name,
        on=timezone.localdate(),
        trained_by=request.user,
        training_topics=payload.training_topics,
        origin=audit_origin(request),
    )
    return Status(201, supply)
