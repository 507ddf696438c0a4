"""Who may see and record a client's criminal-justice work (DESIGN.md: roles, issue 19).

Staff with a need to know (the client's clinicians and managers, who may open the record)
read a client's statuses, hearings and releases; the client's keyworker and managers
record them and send progress reports. A probation officer works for one probation
service and reaches a client only when BOTH hold: they are the responsible officer of a
current status of the client, AND the client's consent to share with their service is in
force (and the client's "share with probation" consent is on). `clients_shared_with` is
the same rule as a query; both live here so they cannot drift apart.
"""

import datetime
from typing import TYPE_CHECKING

import rules
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from beacon.clients.rules import can_view_client, on_own_caseload, same_provider
from beacon.core.models import PartnerOrganisation
from beacon.core.permissions import (
    is_clinician,
    is_keyworker,
    is_manager,
    is_probation_officer,
)

if TYPE_CHECKING:
    from beacon.clients.models import Client
    from beacon.core.models import User

VIEW = "justice.view_status"
CHANGE = "justice.change_status"
VIEW_RELEASES = "justice.view_releases"
VIEW_STATUSES = "justice.view_statuses"
SUPERVISE = "justice.supervise"
READ_SHARED = "justice.read_shared"
VIEW_SHARING_LOG = "justice.view_sharing_log"


@rules.predicate
def works_for_probation(user) -> bool:
    partner = getattr(user, "partner_organisation", None)
    return (
        partner is not None
        and partner.kind == PartnerOrganisation.Kind.PROBATION
        and partner.provider_id == user.provider_id
    )


def clients_shared_with(user: "User", *, on: datetime.date | None = None) -> "QuerySet[Client]":
    """The clients a probation officer may read on `on`: those whose current supervised
    status names them as responsible officer and whose consent to share with their service
    is in force. Nobody else's, and nothing for anyone who is not such an officer."""
    from beacon.clients.models import Client, SharingConsent
    from beacon.justice.models import SUPERVISED_KINDS, JusticeStatus

    if user.provider_id is None or not (is_probation_officer(user) and works_for_probation(user)):
        return Client.objects.none()
    on = on or timezone.localdate()
    supervised = JusticeStatus.objects.current(on=on).filter(
        client=OuterRef("pk"), kind__in=SUPERVISED_KINDS, responsible_officer=user
    )
    consented = SharingConsent.objects.active(on=on).filter(
        client=OuterRef("pk"), partner_organisation_id=user.partner_organisation_id
    )
    return user.provider.clients.filter(
        Exists(supervised), Exists(consented), consent_share_with_probation=True
    )


@rules.predicate
def shares_with_officer(user, client) -> bool:
    if client is None:
        return True
    return clients_shared_with(user).filter(pk=client.pk).exists()


staff_with_need_to_know = (is_clinician | is_manager) & can_view_client

rules.add_perm(VIEW, staff_with_need_to_know)
# The client's keyworker or a manager, as for the client's record itself.
rules.add_perm(CHANGE, same_provider & (is_manager | (is_keyworker & on_own_caseload)))
rules.add_perm(VIEW_RELEASES, is_clinician | is_manager)
# The list of statuses not ended (each row a client the user may open).
rules.add_perm(VIEW_STATUSES, is_clinician | is_manager)
rules.add_perm(SUPERVISE, is_probation_officer & works_for_probation)
rules.add_perm(READ_SHARED, is_probation_officer & works_for_probation & shares_with_officer)
rules.add_perm(VIEW_SHARING_LOG, is_manager)
