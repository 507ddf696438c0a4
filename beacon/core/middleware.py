"""Request set-up: the provider a user acts within, and sign-in with two factors by default."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect

# The API authenticates each request by bearer token; static files are public.
UNGUARDED_PATH_PREFIXES = ("/api/", "/static/", "/assets/")


def public(view):
    """Mark a view that anyone may open (the sign-in page)."""
    view.beacon_public = True
    return view


def two_factor_step(view):
    """Mark a view that a signed-in user may open before passing two-factor."""
    view.beacon_two_factor_step = True
    return view


class NoStoreMiddleware:
    """Pages and API answers hold client data: no browser or proxy may keep a copy
    (`Cache-Control: no-store`). Static files (served before this, by WhiteNoise or the
    static view) keep their own caching."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(("/static/", "/assets/")):
            response["Cache-Control"] = "no-store"
            response.setdefault("Pragma", "no-cache")
        return response


class ProviderMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        request.provider = user.provider if user.is_authenticated else None
        return self.get_response(request)


class SignInRequiredMiddleware:
    """Every page needs a signed-in user, and staff must have passed two-factor."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path.startswith(UNGUARDED_PATH_PREFIXES):
            return None
        if getattr(view_func, "beacon_public", False):
            return None
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        if getattr(view_func, "beacon_two_factor_step", False):
            return None
        if user.needs_two_factor and not user.is_verified():
            return redirect("core:two_factor")
        return None
