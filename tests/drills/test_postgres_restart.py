"""Failure drill (issue 13): PostgreSQL restarted under a bounded load of reads and writes.

The app runs as in production (gunicorn, two workers, DEBUG off) against a private cluster; two
clients read and save answers through the API while the cluster is stopped abruptly (`pg_ctl stop -m
immediate`, as a crash would) and started again. Then:
- every save the client saw acknowledged (200) is in the database, in the response's history;
- every error in the gap is a clean 503 with Retry-After and the API's JSON shape, never a 500 or a
  dropped connection, and a signed-in browser reading pages meanwhile gets the GOV.UK 503 page;
- the service answers 200 again within a few seconds of the cluster being back.
"""

from __future__ import annotations

import threading
import time
import urllib.error

import pytest

from tests.drills.conftest import DATABASE
from tests.drills.support import app_environment, request, running_app, sign_in, wait_until

pytestmark = pytest.mark.drill

CLIENTS = 2
# The load runs until the clients have this many saves acknowledged before the restart, and as many
# again after it (at least the given seconds, at most LOAD_LIMIT): a busy machine only makes it longer.
SAVES_BEFORE, LOAD_BEFORE = 6, 1.5
SAVES_AFTER, LOAD_AFTER = 6, 3.0
LOAD_LIMIT = 30.0
MAX_REQUESTS = 400  # per client, whatever the timings
BACK_WITHIN = 5.0  # seconds


class Client(threading.Thread):
    """Reads a response, then saves a new narrative to it with its ETag, over and over, on its own
    share of the responses."""

    def __init__(self, number: int, base: str, token: str, responses: list[int], stop: threading.Event):
        super().__init__(daemon=True)
        self.number, self.base, self.responses, self.stop = number, base, responses, stop
        self.headers = {"Authorization": f"Bearer {token}"}
        self.acknowledged: list[tuple[int, str]] = []
        self.answers: list[tuple[float, str, int, dict, object]] = []

    def run(self):
        for i in range(MAX_REQUESTS):
            if self.stop.is_set():
                return
            pk = self.responses[i % len(self.responses)]
            url = f"{self.base}/api/v1/responses/{pk}/"
            status, headers, body = request(url, headers=self.headers, timeout=10)
            self.answers.append((time.monotonic(), "GET", status, headers, body))
            if status != 200:
                time.sleep(0.05)
                continue
            narrative = f"drill client {self.number} save {i}"
            status, headers, body = request(
                url,
                method="PATCH",
                body={"narrative": narrative},
                headers={**self.headers, "If-Match": headers["ETag"]},
                timeout=10,
            )
            self.answers.append((time.monotonic(), "PATCH", status, headers, body))
            if status == 200:
                self.acknowledged.append((pk, narrative))


class PageReader(threading.Thread):
    """A signed-in browser reading pages meanwhile: the gap must show it the GOV.UK 503 page."""

    def __init__(self, browser, base: str, stop: threading.Event):
        super().__init__(daemon=True)
        self.browser, self.base, self.stop = browser, base, stop
        self.answers: list[tuple[float, int, dict, str]] = []

    def run(self):
        for _ in range(MAX_REQUESTS):
            if self.stop.is_set():
                return
            try:
                with self.browser.open(f"{self.base}/accounts/sessions/", timeout=10) as page:
                    answer = (page.status, dict(page.headers), page.read().decode(errors="replace"))
            except urllib.error.HTTPError as error:
                answer = (error.code, dict(error.headers), error.read().decode(errors="replace"))
            except (urllib.error.URLError, OSError) as error:
                answer = (0, {}, str(error))
            self.answers.append((time.monotonic(), *answer))
            time.sleep(0.05)


def test_postgres_restart_under_load_loses_no_acknowledged_write(drill_database, drill_folder):
    cluster, data = drill_database
    env = app_environment(cluster.url(DATABASE), "filesystem://", drill_folder)
    with running_app(env, drill_folder) as app:
        stop = threading.Event()
        share = len(data["responses"]) // CLIENTS
        clients = [
            Client(n, app.base, data["token"], data["responses"][n * share : (n + 1) * share], stop)
            for n in range(CLIENTS)
        ]
        browser, _landed, _page = sign_in(app.base, "drill-staff", "drill passphrase 1")
        reader = PageReader(browser, app.base, stop)
        for thread in [*clients, reader]:
            thread.start()

        def saves() -> int:
            return sum(len(client.acknowledged) for client in clients)

        time.sleep(LOAD_BEFORE)
        wait_until(lambda: saves() >= SAVES_BEFORE, timeout=LOAD_LIMIT, what="saves before the restart")
        cluster.stop("immediate")
        down_at = time.monotonic()
        time.sleep(1.0)
        cluster.start()
        back_at = time.monotonic()
        saved_before = saves()
        time.sleep(LOAD_AFTER)
        wait_until(lambda: saves() >= saved_before + SAVES_AFTER, timeout=LOAD_LIMIT, what="saves after the restart")
        stop.set()
        for thread in [*clients, reader]:
            thread.join(timeout=30)
            assert not thread.is_alive()

        # The service answers again within a few seconds of the database being back.
        first_ok_after = min(
            (at for client in clients for at, _m, status, _h, _b in client.answers if at > back_at and status == 200),
            default=None,
        )
        assert first_ok_after is not None, "no request succeeded after the restart"
        assert first_ok_after - back_at < BACK_WITHIN

        answers = [answer for client in clients for answer in client.answers]
        statuses = {status for _at, _m, status, _h, _b in answers}
        log = app.log.read_text(errors="replace")
        # 412: a save that committed just as its connection dropped answered 503, so the next save of
        # that response sent an out-of-date ETag; the client is told, nothing is overwritten.
        assert statuses <= {200, 412, 503}, (statuses, log[-3000:])
        gap = [a for a in answers if a[2] == 503]
        assert gap, "the load never met the restart: no 503 was seen"
        for at, _method, _status, headers, body in gap:
            assert down_at - 1 <= at
            assert headers["Retry-After"] == "5"
            assert headers["Content-Type"] == "application/json"
            assert set(body) == {"detail"}
        assert "Internal Server Error" not in log

        # Pages: the signed-in browser saw the service's own 503 page in the gap, and stays signed in.
        page_statuses = {status for _at, status, _h, _b in reader.answers}
        assert page_statuses <= {200, 503}, page_statuses
        page_gap = [answer for answer in reader.answers if answer[1] == 503]
        assert page_gap, "the page reader never met the restart"
        for _at, _status, headers, body in page_gap:
            assert headers["Content-Type"].startswith("text/html")
            assert headers["Retry-After"] == "5"
            assert "Sorry, the service is unavailable" in body
        assert reader.answers[-1][1] == 200 and "This device" in reader.answers[-1][3]

    acknowledged = [saved for client in clients for saved in client.acknowledged]
    assert len(acknowledged) >= SAVES_BEFORE + SAVES_AFTER
    history = set(
        cluster.query(
            DATABASE, "SELECT id, narrative FROM assessments_historicalresponse WHERE narrative LIKE 'drill%%'"
        )
    )
    lost = [saved for saved in acknowledged if saved not in history]
    assert not lost, f"{len(lost)} acknowledged saves are missing: {lost[:5]}"
    # And each response holds the last save acknowledged for it, or a later one.
    current = dict(cluster.query(DATABASE, "SELECT id, narrative FROM assessments_response"))
    last = {}
    for pk, narrative in acknowledged:
        last[pk] = narrative
    for pk, narrative in last.items():
        client_no, save_no = map(int, narrative.removeprefix("drill client ").split(" save "))
        held = current[pk]
        assert held.startswith(f"drill client {client_no} save ")
        assert int(held.rsplit(" ", 1)[1]) >= save_no
