"""The signed-in user's alerts (a missed delivery…): read them, mark them read.

A user sees only alerts addressed to them in the provider they act for
(selectors.alerts_for); reading the list is audited, once per client an alert names.
"""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from beacon.core import selectors, services
from beacon.core.audit import Action, audit_record
from beacon.core.pagination import paginate
from beacon.core.permissions import permission_required


@permission_required("core.view_alerts")
@require_http_methods(["GET"])
def alert_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.alerts_for(user=request.user))
    audit_record(actor=request.user, action=Action.VIEW, detail="own alerts", request=request)
    for alert in page.object_list:
        if alert.client_id:
            audit_record(
                actor=request.user,
                action=Action.VIEW,
                obj=alert,
                client=alert.client,
                detail="alert",
                request=request,
            )
    return render(request, "core/alerts.html", {"page": page})


@permission_required("core.view_alerts")
@require_http_methods(["POST"])
def alerts_read(request: HttpRequest) -> HttpResponse:
    raw = request.POST.getlist("alert")
    ids = [int(value) for value in raw if value.isdigit()] if raw else None
    count = services.alerts_mark_read(user=request.user, alert_ids=ids)
    messages.success(request, f"{count} alert{'s' if count != 1 else ''} marked as read.")
    return redirect("core:alerts")
