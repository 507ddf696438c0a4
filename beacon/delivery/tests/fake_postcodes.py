"""A local fake of a postcodes.io-compatible server, started by the test on a free port of
127.0.0.1: it knows the postcodes a test gives it, keeps every request it was sent (path,
headers, body), and can answer an error or hold an answer back until the client gives up.
Never the real service.

Use the `fake_postcodes` fixture (import `fake_postcodes_fixture` into the test module or
its conftest); it points BEACON_GEOCODER_URL at the fake.
"""

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

import pytest


@dataclass
class FakePostcodes:
    url: str = ""
    # Postcode without spaces, upper case → (latitude, longitude); None for no position.
    places: dict[str, tuple[float, float] | None] = field(default_factory=dict)
    requests: list[dict] = field(default_factory=list)
    fail_next: list[int] = field(default_factory=list)  # statuses to answer next
    hold: threading.Event | None = None  # set: answer only once the event is set
    padding: int = 0  # characters of filler in every answer (an answer too large)

    def knows(self, postcode: str, latitude: float | None, longitude: float | None) -> None:
        place = (latitude, longitude) if latitude is not None and longitude is not None else None
        self.places[postcode.replace(" ", "").upper()] = place


def _handler(fake: FakePostcodes):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet test output
            pass

        def _answer(self, status: int, body: dict) -> None:
            raw = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)
            except OSError:
                pass  # the client gave up waiting

        def do_GET(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            fake.requests.append(
                {
                    "path": self.path,
                    "headers": dict(self.headers),
                    "body": self.rfile.read(length) if length else b"",
                }
            )
            if fake.hold is not None:
                fake.hold.wait(timeout=10)
            if fake.fail_next:
                self._answer(fake.fail_next.pop(0), {"status": 500, "error": "Server error"})
                return
            prefix = "/postcodes/"
            if not self.path.startswith(prefix):
                self._answer(404, {"status": 404, "error": "Resource not found"})
                return
            postcode = unquote(self.path[len(prefix) :]).replace(" ", "").upper()
            if postcode not in fake.places:
                self._answer(404, {"status": 404, "error": "Postcode not found"})
                return
            place = fake.places[postcode]
            latitude, longitude = place if place else (None, None)
            self._answer(
                200,
                {
                    "status": 200,
                    "result": {
                        "postcode": f"{postcode[:-3]} {postcode[-3:]}",
                        "latitude": latitude,
                        "longitude": longitude,
                        **({"filler": "x" * fake.padding} if fake.padding else {}),
                    },
                },
            )

    return Handler


@pytest.fixture(name="fake_postcodes")
def fake_postcodes_fixture(settings):
    fake = FakePostcodes()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.BEACON_GEOCODER_URL = fake.url
    yield fake
    if fake.hold is not None:
        fake.hold.set()
    server.shutdown()
    server.server_close()
