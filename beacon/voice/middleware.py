"""A kiosk is locked to its survey: a device holding a kiosk cookie reaches the kiosk's
own pages (and static files) and nothing else, whatever else it holds (H-180)."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

KIOSK_COOKIE = "beacon_kiosk"
KIOSK_PATHS = ("/voice/kiosk/", "/static/", "/assets/")


class KioskLockMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.beacon_kiosk_token = request.COOKIES.get(KIOSK_COOKIE)  # type: ignore[attr-defined]
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.COOKIES.get(KIOSK_COOKIE) and not request.path.startswith(KIOSK_PATHS):
            raise PermissionDenied("This tablet is a kiosk for one survey")
        return None
