"""A local fake of GOV.UK Notify's HTTP API, started by the test on a free port of 127.0.0.1.

It checks each request's JWT as Notify does (signed with the key's secret, issued by the
service id), keeps every text it was sent, answers status checks with the status a test
sets, and fails the next requests when a test asks it to. Never the real service.

Use the `fake_notify` fixture (import it into the test module); it also points the
NOTIFY_* settings at the fake and runs tasks on the dummy backend, so a test runs them
itself with `fake_notify.run_tasks()`. The dummy backend keeps its tasks per thread: a
browser test, whose pages run in the live server's thread, sets TASKS to the immediate
backend after asking for this fixture, and reads what was sent in `fake_notify.texts`.
"""

import json
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from django_tasks import default_task_backend
from notifications_python_client.authentication import decode_jwt_token

SERVICE_ID = "6a1b2c3d-0000-4000-8000-00000000beac"
SECRET = "7b2c3d4e-1111-4111-8111-00000000beac"
API_KEY = f"beacon_tests-{SERVICE_ID}-{SECRET}"
APPOINTMENT_TEMPLATE = "11111111-2222-4333-8444-555555555555"
DELIVERY_TEMPLATE = "66666666-7777-4888-8999-aaaaaaaaaaaa"
SURVEY_TEMPLATE = "bbbbbbbb-cccc-4ddd-8eee-ffffffffffff"
CALLBACK_TOKEN = "callback-token-for-tests-only-0123456789"


# More than this in one run_tasks is tasks queueing each other without end.
MOST_TASKS = 200


@dataclass
class FakeNotify:
    url: str = ""
    texts: list[dict] = field(default_factory=list)  # the JSON body of each send
    statuses: dict[str, str] = field(default_factory=dict)  # Notify id → status reported
    fail_next: list[tuple[int, dict]] = field(default_factory=list)  # (status, body) to answer
    unauthorised: int = 0  # requests whose token did not verify

    def status_of(self, notify_id: str, status: str) -> None:
        self.statuses[notify_id] = status

    def run_tasks(self, *, due_only: bool = False) -> list[str]:
        """Run every task queued so far (and any they queue), whatever its run_after, as the
        worker would once its time came; their return values. With `due_only`, only those
        due now (a text's send, not its later status checks), the others left queued: where
        on_commit runs at once (a browser test), a status check that is not final queues the
        next one for as long as time stands still."""
        done = []
        waiting = []
        while default_task_backend.results:
            result = default_task_backend.results.pop(0)
            run_after = result.task.run_after
            if due_only and run_after is not None and run_after > timezone.now():
                waiting.append(result)
                continue
            done.append(result.task.call(*result.args, **result.kwargs))
            if len(done) > MOST_TASKS:
                raise AssertionError(f"more than {MOST_TASKS} tasks queued one another")
        default_task_backend.results.extend(waiting)
        return done


def _handler(fake: FakeNotify):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args) -> None:  # quiet test output
            pass

        def _answer(self, status: int, body: dict) -> None:
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def _authorised(self) -> bool:
            token = self.headers.get("Authorization", "").removeprefix("Bearer ")
            try:
                decode_jwt_token(token, SECRET)
            except Exception:
                fake.unauthorised += 1
                self._answer(403, {"errors": [{"error": "AuthError", "message": "Invalid token"}]})
                return False
            return True

        def do_POST(self) -> None:
            if not self._authorised():
                return
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if fake.fail_next:
                self._answer(*fake.fail_next.pop(0))
                return
            if self.path != "/v2/notifications/sms":
                self._answer(404, {"errors": [{"error": "NotFound", "message": self.path}]})
                return
            fake.texts.append(body)
            notify_id = str(uuid.uuid4())
            fake.statuses[notify_id] = "sending"
            text = body["personalisation"]["body"]
            self._answer(
                201,
                {
                    "id": notify_id,
                    "reference": body.get("reference"),
                    "content": {"body": text, "from_number": "GOVUK"},
                    "uri": f"{fake.url}/v2/notifications/{notify_id}",
                    "template": {"id": body["template_id"], "version": 1, "uri": ""},
                },
            )

        def do_GET(self) -> None:
            if not self._authorised():
                return
            if fake.fail_next:
                self._answer(*fake.fail_next.pop(0))
                return
            notify_id = self.path.rsplit("/", 1)[-1]
            if notify_id not in fake.statuses:
                self._answer(404, {"errors": [{"error": "NoResultFound", "message": "None"}]})
                return
            self._answer(200, {"id": notify_id, "type": "sms", "status": fake.statuses[notify_id]})

    return Handler


@pytest.fixture
def fake_notify(settings):
    fake = FakeNotify()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(fake))
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_BASE_URL = fake.url
    settings.NOTIFY_TEMPLATE_APPOINTMENT_REMINDER = APPOINTMENT_TEMPLATE
    settings.NOTIFY_TEMPLATE_DELIVERY_WINDOW = DELIVERY_TEMPLATE
    settings.NOTIFY_TEMPLATE_SURVEY_LINK = SURVEY_TEMPLATE
    settings.NOTIFY_CALLBACK_TOKEN = CALLBACK_TOKEN
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    yield fake
    default_task_backend.clear()
    server.shutdown()
    server.server_close()
