"""The vocabulary of the authorization matrix, and the core app's rows.

Each app keeps its rows in `<app>/tests/matrix.py`: `PAGES` and `API` (route →
(method, {role: outcome})), `API_WRITES` (the same, for an API write on a route whose row
in `API` is another method's, such as a PATCH beside a GET) and `samples(base)`, which
makes the records its routes need and returns their ids. tests/test_authorization_matrix.py
gathers them all.
"""

from beacon.core.services import api_token_issue
from beacon.core.tests.helpers import ROLES

ALLOW = "allow"  # 200 (or 201)
REFUSE = "refuse"  # 403
SIGN_IN = "sign in"  # redirected to the sign-in page
REDIRECT = "redirect"  # sent on elsewhere (e.g. already signed in)
UNAUTHENTICATED = "unauthenticated"  # API without a token: 401
NOT_FOUND = "status 404"
INVALID = "status 422"

EVERYONE = [*ROLES, "admin"]
CLIENT_READERS = {"keyworker", "prescriber", "nurse", "manager", "admin"}
CLIENT_WRITERS = {"keyworker", "manager", "admin"}
MANAGERS = {"manager", "admin"}


def outcome_for(allowed: set[str], *, anonymous: str = SIGN_IN) -> dict[str, str]:
    table = {role: ALLOW if role in allowed else REFUSE for role in EVERYONE}
    table["anonymous"] = anonymous
    return table


def api_write_for(allowed: set[str]) -> dict[str, str]:
    """An API write sent without a body: a role that may never make it is refused (403) by
    the operation's role gate before the body is read; for a role that may, the missing
    body is invalid (422); without a token, 401."""
    table = outcome_for(allowed, anonymous=UNAUTHENTICATED)
    return {**table, **dict.fromkeys(allowed, INVALID)}


def same_for_all(outcome: str, *, anonymous: str) -> dict[str, str]:
    return {**dict.fromkeys(EVERYONE, outcome), "anonymous": anonymous}


def core_samples(base: dict) -> dict:
    """base: users (role → user), team, provider, client (on the keyworker's caseload)."""
    token, _raw = api_token_issue(user=base["users"]["keyworker"], name="matrix")
    return {
        "token_id": token.pk,
        "asset": "images/favicon.ico",
        "account_id": base["users"]["nurse"].pk,
        "purpose": "delivery_window",
    }


samples = core_samples

PAGES = {
    # A keyworker's home is their caseload; a driver's is today's round; a pharmacist's is
    # the instalments due at their pharmacy; a volunteer's is their own day (shifts, check-in);
    # a probation officer's the clients they supervise.
    "": (
        "GET",
        {
            **outcome_for(set(EVERYONE)),
            "keyworker": REDIRECT,
            "driver": REDIRECT,
            "pharmacist": REDIRECT,
            "volunteer": REDIRECT,
            "probation_officer": REDIRECT,
        },
    ),
    # Everyone reads their own alerts.
    "alerts/": ("GET", outcome_for(set(EVERYONE))),
    "alerts/read/": ("POST", same_for_all(REDIRECT, anonymous=SIGN_IN)),
    "sign-in/": ("GET", same_for_all(REDIRECT, anonymous=ALLOW)),
    "sign-in/two-factor/": ("GET", same_for_all(REDIRECT, anonymous=SIGN_IN)),
    "sign-in/two-factor/set-up/": ("GET", same_for_all(REDIRECT, anonymous=SIGN_IN)),
    "sign-out/": ("POST", same_for_all(REDIRECT, anonymous=REDIRECT)),
    "audit/": ("GET", outcome_for(MANAGERS)),
    "api-tokens/": ("GET", outcome_for(MANAGERS)),
    "api-tokens/new/": ("GET", outcome_for(MANAGERS)),
    # Everyone sees the tokens that act as them; only a token's own person accepts it, and
    # only while it waits (the sample is the keyworker's token, accepted already).
    "api-tokens/mine/": ("GET", outcome_for(set(EVERYONE))),
    "api-tokens/<int:token_id>/accept/": ("POST", same_for_all(NOT_FOUND, anonymous=SIGN_IN)),
    "integration-accounts/": ("GET", outcome_for(MANAGERS)),
    "locked-accounts/": ("GET", outcome_for(MANAGERS)),
    # The sample nurse is not locked: the manager is sent back with a message.
    "locked-accounts/<int:account_id>/unlock/": (
        "POST",
        {**outcome_for(MANAGERS), "manager": REDIRECT, "admin": REDIRECT},
    ),
    "api-tokens/<int:token_id>/revoke/": (
        "POST",
        {**outcome_for(MANAGERS), "manager": REDIRECT, "admin": REDIRECT},
    ),
    # Texts to clients: their wording and what was sent, for managers only.
    "texts/": ("GET", outcome_for(MANAGERS)),
    "texts.csv": ("GET", outcome_for(MANAGERS)),
    "texts/<str:purpose>/wording/": ("GET", outcome_for(MANAGERS)),
    # The offline forms' service worker: public, no data.
    "offline-worker.js": ("GET", same_for_all(ALLOW, anonymous=ALLOW)),
    # Static asset redirect for nhsuk-frontend's stylesheet: public, no data.
    "assets/<path:asset>": ("GET", same_for_all(REDIRECT, anonymous=REDIRECT)),
    # The set-up admin: the superuser only; everyone else is sent to its sign-in.
    "admin/": ("GET", {**same_for_all(REDIRECT, anonymous=SIGN_IN), "admin": ALLOW}),
}

API = {
    "api/v1/openapi.json": ("GET", same_for_all(ALLOW, anonymous=ALLOW)),
    "api/v1/docs": ("GET", same_for_all(ALLOW, anonymous=ALLOW)),
    # GOV.UK Notify's delivery receipts carry NOTIFY_CALLBACK_TOKEN, never a user's sign-in.
    "notify/callback/": ("POST", same_for_all(UNAUTHENTICATED, anonymous=UNAUTHENTICATED)),
    # ninja's API root has no page of its own.
    "api/v1/": ("GET", same_for_all(NOT_FOUND, anonymous=NOT_FOUND)),
}
