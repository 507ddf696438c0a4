"""Error pages in the service's own words; refused attempts are audited."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string

from beacon.core.audit import audit_refusal


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    audit_refusal(request, 403)
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    audit_refusal(request, 404)
    return render(request, "404.html", status=404)


def conflict(request: HttpRequest) -> HttpResponse:
    """Two people saved the same thing at the same moment and the database kept one."""
    return render(request, "409.html", status=409)


def bad_input(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "400.html", {"message": message}, status=status)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without context: the failure may lie in what the context needs.
    return HttpResponse(render_to_string("500.html"), status=500)
