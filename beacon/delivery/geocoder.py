"""A postcode's map position from a postcodes.io-compatible server (`BEACON_GEOCODER_URL`:
postcodes.io is open source, so a service can run its own): GET {url}/postcodes/{postcode}
answers result.latitude and result.longitude.

Only the postcode is sent: no name, no address line, no client number, no cookie, and not
through a proxy or with credentials from the environment (a session that trusts nothing of
it). Only an https server is asked, or http on this machine (a service's own server, the
tests' fake); a private address only when `BEACON_GEOCODER_ALLOW_PRIVATE_HOSTS` says so. The
answer must come within the timeouts and be small. The coordinator sees the answer in the
delivery details form and saves it or not.
"""

import ipaddress
import json
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.parse import quote, urlsplit

import requests
from django.conf import settings

from beacon.clients.validators import normalise_postcode

# A postcodes.io answer is about 2 kB; anything much larger is not one.
MAX_ANSWER_BYTES = 64 * 1024
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


class PostcodeNotFound(Exception):
    """The server does not know this postcode, or knows it without a map position."""


class GeocoderUnavailable(Exception):
    """The server could not be reached, was too slow, or answered something unreadable."""


@dataclass(frozen=True)
class PostcodePlace:
    postcode: str
    latitude: Decimal
    longitude: Decimal


def geocoder_url_refused(url: str, *, allow_private: bool) -> str:
    """Why Beacon will not send postcodes to `url`, or "" when it may: https only (http only
    to this machine), no user name or password in it, and no private address unless allowed.
    A host name is checked for every address it has when the postcode is sent."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        return "The postcode server's address (BEACON_GEOCODER_URL) has no host"
    if parts.username or parts.password:
        return "The postcode server's address (BEACON_GEOCODER_URL) must not hold a password"
    if parts.scheme == "http" and host in LOOPBACK_NAMES:
        return ""
    if parts.scheme != "https":
        return "The postcode server's address (BEACON_GEOCODER_URL) must start https://"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return ""  # a name: its addresses are checked when it is asked
    return _address_refused(address, allow_private=allow_private)


def _address_refused(address, *, allow_private: bool) -> str:
    if address.is_global or (allow_private and address.is_private) or address.is_loopback:
        return ""
    return (
        f"The postcode server is at a private address ({address}): set "
        "BEACON_GEOCODER_ALLOW_PRIVATE_HOSTS=true if the service runs it on its own network"
    )


def geocoder_off_reason() -> str:
    """Why postcodes cannot be looked up, or "" when they can."""
    if not settings.BEACON_GEOCODER_URL:
        return (
            "Postcode look-up is not set up (BEACON_GEOCODER_URL): type the latitude and "
            "longitude, for example read off a map."
        )
    refused = geocoder_url_refused(
        settings.BEACON_GEOCODER_URL, allow_private=settings.BEACON_GEOCODER_ALLOW_PRIVATE_HOSTS
    )
    if refused:
        return f"Postcode look-up is off: {refused}. Type the latitude and longitude."
    return ""


def server_host() -> str:
    """The host postcodes are sent to, as the audit log names it."""
    return urlsplit(settings.BEACON_GEOCODER_URL).netloc


def _check_resolved(host: str, port: int) -> None:
    # A name that points at a private address is refused as the address itself would be.
    if host in LOOPBACK_NAMES:
        return
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except OSError as exc:
        raise GeocoderUnavailable("The postcode server could not be reached") from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if _address_refused(address, allow_private=settings.BEACON_GEOCODER_ALLOW_PRIVATE_HOSTS):
            raise GeocoderUnavailable("The postcode server is at an address Beacon does not ask")


def _degrees(value: object, limit: int) -> Decimal:
    """A latitude or longitude as the details store it (6 places), or InvalidOperation."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise InvalidOperation(value)
    degrees = Decimal(str(value)).quantize(Decimal("0.000001"))
    if not -limit <= degrees <= limit:
        raise InvalidOperation(value)
    return degrees


def _answer_body(response: requests.Response, *, deadline: float) -> bytes:
    """The answer, read a piece at a time: refused past MAX_ANSWER_BYTES or the deadline (a
    server that sends a byte a second never times out a read)."""
    body = b""
    for chunk in response.iter_content(chunk_size=4096):
        body += chunk
        if len(body) > MAX_ANSWER_BYTES:
            raise GeocoderUnavailable("The postcode server's answer was too large")
        if time.monotonic() > deadline:
            raise GeocoderUnavailable("The postcode server did not answer in time")
    return body


def postcode_locate(
    *, postcode: str, before_sending: Callable[[str], object] | None = None
) -> PostcodePlace:
    """The map position of a UK postcode; PostcodeNotFound or GeocoderUnavailable.
    `before_sending(postcode)` is called once the server is known to be one Beacon asks,
    just before the postcode leaves (the audit of what was sent)."""
    off = geocoder_off_reason()
    if off:
        raise GeocoderUnavailable(off)
    base = settings.BEACON_GEOCODER_URL.rstrip("/")
    parts = urlsplit(base)
    _check_resolved(parts.hostname or "", parts.port or (443 if parts.scheme == "https" else 80))
    wanted = normalise_postcode(postcode)
    if before_sending is not None:
        before_sending(wanted)
    read_timeout = settings.BEACON_GEOCODER_TIMEOUT_SECONDS
    deadline = time.monotonic() + settings.BEACON_GEOCODER_CONNECT_TIMEOUT_SECONDS + read_timeout
    with requests.Session() as session:
        session.trust_env = False  # no proxy, netrc or CA bundle from the environment
        try:
            with session.get(
                f"{base}/postcodes/{quote(wanted, safe='')}",
                timeout=(settings.BEACON_GEOCODER_CONNECT_TIMEOUT_SECONDS, read_timeout),
                allow_redirects=False,
                stream=True,
                headers={"Accept": "application/json"},
            ) as response:
                status = response.status_code
                body = _answer_body(response, deadline=deadline)
        except requests.Timeout as exc:
            raise GeocoderUnavailable("The postcode server did not answer in time") from exc
        except requests.RequestException as exc:
            raise GeocoderUnavailable("The postcode server could not be reached") from exc
    if status == 404:
        raise PostcodeNotFound(f"The postcode server does not know {wanted}")
    if status != 200:
        raise GeocoderUnavailable(f"The postcode server answered {status}")
    try:
        result = json.loads(body)["result"]
        latitude, longitude = result["latitude"], result["longitude"]
    except (ValueError, KeyError, TypeError) as exc:
        raise GeocoderUnavailable("The postcode server's answer could not be read") from exc
    if latitude is None or longitude is None:
        raise PostcodeNotFound(f"The postcode server has no map position for {wanted}")
    try:
        return PostcodePlace(
            postcode=wanted, latitude=_degrees(latitude, 90), longitude=_degrees(longitude, 180)
        )
    except InvalidOperation as exc:
        raise GeocoderUnavailable("The postcode server's answer could not be read") from exc
