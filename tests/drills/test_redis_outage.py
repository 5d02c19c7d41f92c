"""Failure drill (issue 13): the broker (a private Redis) stops.

The app runs as in production (gunicorn, DEBUG off, PostgreSQL) with Redis as its Celery broker.
With Redis stopped: signing in, editing an answer and uploading evidence work as usual, and a report
request is answered at once, as it is today, with the job saved as queued and the message that it
will be built when the queue is back. With Redis back, the sweeper hands the job to the queue:
nothing asked for in the outage is lost.
"""

from __future__ import annotations

import datetime as dt
import time
import urllib.request
import uuid

import pytest

from reports.services import QUEUE_DOWN_MESSAGE
from tests.drills.conftest import DATABASE
from tests.drills.support import app_environment, manage, private_redis, request, running_app, sign_in
from tests.factories import PDF_BYTES

pytestmark = pytest.mark.drill

ANSWER_WITHIN = 5.0  # seconds, for any request while the broker is down


def _multipart(fields: dict[str, str], file_field: str, filename: str, content: bytes, content_type: str):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{filename}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        + content
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def _timed(call):
    started = time.monotonic()
    result = call()
    assert time.monotonic() - started < ANSWER_WITHIN
    return result


def _queue_length(redis, name: str = "celery") -> int:
    import socket

    with socket.create_connection(("127.0.0.1", redis.port), timeout=2) as sock:
        sock.sendall(f"LLEN {name}\r\n".encode())
        reply = sock.recv(64)
    assert reply.startswith(b":"), reply
    return int(reply[1:].strip())


def test_broker_outage_keeps_the_service_working_and_loses_nothing(drill_database, drill_folder):
    cluster, data = drill_database
    with private_redis() as redis:
        env = app_environment(cluster.url(DATABASE), redis.url(0), drill_folder)
        with running_app(env, drill_folder) as app:
            api = {"Authorization": f"Bearer {data['token']}"}
            redis.stop()
            assert not redis.answers()

            # Signing in, and a signed-in page.
            browser, landed, page = _timed(lambda: sign_in(app.base, "drill-staff", "drill passphrase 1"))
            assert landed == f"{app.base}/"
            assert "Sign out" in page
            with browser.open(f"{app.base}/accounts/sessions/", timeout=ANSWER_WITHIN) as sessions:
                assert "This device" in sessions.read().decode()

            # Editing an answer.
            url = f"{app.base}/api/v1/responses/{data['responses'][-1]}/"
            status, headers, _body = _timed(lambda: request(url, headers=api))
            assert status == 200
            status, _h, body = _timed(
                lambda: request(
                    url,
                    method="PATCH",
                    body={"narrative": "Saved while the queue was down"},
                    headers={**api, "If-Match": headers["ETag"]},
                )
            )
            assert status == 200, body

            # Uploading evidence.
            fields = {
                "force": "west-midlands",
                "kind": "file",
                "title": "Uploaded while the queue was down",
                "owner": "Head of Special Branch",
                "evidence_date": "2025-05-01",
            }
            payload, content_type = _multipart(fields, "upload", "plan.pdf", PDF_BYTES, "application/pdf")
            upload = urllib.request.Request(  # noqa: S310 — loopback only
                f"{app.base}/api/v1/evidence/",
                data=payload,
                method="POST",
                headers={**api, "Content-Type": content_type, "Accept": "application/json"},
            )
            with _timed(lambda: urllib.request.urlopen(upload, timeout=ANSWER_WITHIN)) as answer:  # noqa: S310
                assert answer.status == 201

            # A report request: answered at once, the job kept as queued, and the person told why.
            status, _h, job = _timed(
                lambda: request(
                    f"{app.base}/api/v1/reports/",
                    method="POST",
                    body={"kind": "accountability", "assessment": data["assessment"]},
                    headers=api,
                )
            )
            assert status == 202, job
            assert job["status"] == "queued" and job["dispatched_at"] is None
            assert job["message"] == QUEUE_DOWN_MESSAGE
            with browser.open(f"{app.base}/reports/{job['id']}/", timeout=ANSWER_WITHIN) as status_page:
                assert QUEUE_DOWN_MESSAGE in status_page.read().decode()

            # The queue comes back: the sweeper hands the job over; what was saved meanwhile is there.
            redis.start()
            manage(
                env,
                "shell",
                "-c",
                "import datetime; from reports.services import report_sweep; "
                "print(report_sweep(grace=datetime.timedelta(0)))",
                timeout=60,
            )
            assert _queue_length(redis) >= 1
            dispatched = cluster.query(
                DATABASE, "SELECT dispatched_at FROM reports_reportjob WHERE id = %s", (job["id"],)
            )
            assert dispatched[0][0] is not None
            assert dispatched[0][0] > dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
            assert cluster.query(
                DATABASE, "SELECT 1 FROM assessments_response WHERE narrative = 'Saved while the queue was down'"
            )
            assert cluster.query(
                DATABASE, "SELECT 1 FROM assessments_evidence WHERE title = 'Uploaded while the queue was down'"
            )
            assert "Internal Server Error" not in app.log.read_text(errors="replace")
