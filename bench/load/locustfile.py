"""The deadline week, as locust plays it (started by bench/load/run.py, which prepares the plan).

Simulated people, each pausing 5-15 s between actions as a person reading and typing does:
- PCC office staff (most of them) read their task list and response pages, list their answers
  through the API and save answers with If-Match (a 412 is the service refusing a stale save, as it
  should when two people edit one answer: counted as a conflict, not an error);
- chief constables open their dashboard and task list;
- inspectors open the national view (all forces, a region, sorted) and download its CSV;
- a few people ask for an accountability PDF and poll its status until it is ready.
Every save the service acknowledged is written to LOAD_ACKS so run.py can check, after the run,
that each is in the database's history exactly once.

Requests are sent as if through the TLS proxy of the production shape (X-Forwarded-Proto: https,
which the server is told to trust), with the session and CSRF cookies set by hand: they are Secure
cookies, which a client never sends over plain HTTP itself.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import threading
import uuid

import gevent
from locust import HttpUser, between, events, task

with open(os.environ["LOAD_PLAN"]) as _plan:
    PLAN = json.load(_plan)
RUN = uuid.uuid4().hex[:8]
MARKER = f"Load test {RUN}"
ACKS: list[dict] = []
_lock = threading.Lock()
_counters = {name: itertools.count() for name in ("staff", "chief", "inspector", "pdf")}
FORCES = PLAN["forces"]
EDITABLE = [force for force in FORCES if force["editable"]]
PUBLISHED = [force for force in FORCES if force["published"]]
VIEWS = ("", "?region=south-east", "?region=west-midlands", "?sort=-force")


@events.test_stop.add_listener
def _write_acks(**_kwargs):
    with open(os.environ["LOAD_ACKS"], "w") as out:
        json.dump({"marker": MARKER, "acks": ACKS}, out)


class Person(HttpUser):
    abstract = True
    wait_time = between(5, 15)

    def sign_in(self, session_key: str) -> None:
        host = self.host.split("://", 1)[1]
        self.client.headers.update(
            {
                "Cookie": f"{PLAN['session_cookie']}={session_key}; {PLAN['csrf_cookie']}={PLAN['csrf']}",
                "X-CSRFToken": PLAN["csrf"],
                "X-Forwarded-Proto": "https",
                "Referer": f"https://{host}/",
            }
        )

    def get(self, url: str, name: str, **kwargs):
        with self.client.get(url, name=name, allow_redirects=False, catch_response=True, **kwargs) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}")
            return answer


class Staff(Person):
    weight = 70

    def on_start(self):
        n = next(_counters["staff"])
        self.force = EDITABLE[n % len(EDITABLE)] if EDITABLE else FORCES[n % len(FORCES)]
        self.sign_in(self.force["staff"][(n // max(1, len(EDITABLE))) % len(self.force["staff"])])

    @task(3)
    def task_list(self):
        self.get(f"/assessments/{self.force['assessment']}/", "page: task list")

    @task(3)
    def response_page(self):
        response = random.choice(self.force["responses"])
        self.get(f"/assessments/{self.force['assessment']}/requirements/{response['ref']}/", "page: response")

    @task(1)
    def list_answers(self):
        self.get(f"/api/v1/responses/?assessment={self.force['assessment']}&page_size=100", "api: list answers")

    @task(3)
    def save_answer(self):
        if not self.force["editable"]:
            return self.task_list()
        response = random.choice(self.force["responses"])
        url = f"/api/v1/responses/{response['id']}/"
        current = self.get(url, "api: read answer")
        if current.status_code != 200:
            return
        etag = current.headers.get("ETag", "")
        narrative = f"{MARKER} {uuid.uuid4().hex[:12]}: the force's lead has reviewed this answer."
        with self.client.patch(
            url, json={"narrative": narrative}, headers={"If-Match": etag}, name="api: save answer", catch_response=True
        ) as saved:
            if saved.status_code == 200:
                with _lock:
                    ACKS.append({"id": response["id"], "version": saved.json()["version"], "narrative": narrative})
            elif saved.status_code == 412:
                saved.success()  # someone saved first: the refusal is the service working
                self.environment.events.request.fire(
                    request_type="CONFLICT",
                    name="api: save answer (412)",
                    response_time=0,
                    response_length=0,
                    exception=None,
                    context={},
                )
            else:
                saved.failure(f"{saved.status_code}")


class Chief(Person):
    weight = 15

    def on_start(self):
        n = next(_counters["chief"])
        self.force = FORCES[n % len(FORCES)]
        self.sign_in(self.force["chief"][(n // len(FORCES)) % len(self.force["chief"])])

    @task(3)
    def dashboard(self):
        self.get("/dashboard/", "page: force dashboard")

    @task(1)
    def task_list(self):
        self.get(f"/assessments/{self.force['assessment']}/", "page: task list")


class Inspector(Person):
    weight = 12

    def on_start(self):
        self.sign_in(PLAN["inspector"][next(_counters["inspector"]) % len(PLAN["inspector"])])

    @task(4)
    def national(self):
        self.get(f"/national/{random.choice(VIEWS)}", "page: national view")

    @task(1)
    def national_csv(self):
        self.get("/national/export.csv", "csv: national")

    @task(1)
    def national_api(self):
        self.get("/api/v1/dashboard/national/", "api: national")


class Reader(Person):
    """Asks for an accountability PDF and waits for it, as a PCC would before a panel meeting."""

    fixed_count = 3
    wait_time = between(10, 20)

    def on_start(self):
        n = next(_counters["pdf"])
        self.force = PUBLISHED[n % len(PUBLISHED)] if PUBLISHED else FORCES[0]
        self.sign_in(self.force["chief"][0])

    @task
    def accountability_pdf(self):
        if not self.force["published"]:
            return
        with self.client.post(
            "/reports/new/",
            data={"kind": "accountability", "assessment": self.force["published"]},
            name="pdf: request",
            allow_redirects=False,
            catch_response=True,
        ) as asked:
            if asked.status_code != 302 or "/reports/" not in asked.headers.get("Location", ""):
                asked.failure(f"{asked.status_code}")
                return
            status_url = asked.headers["Location"].rstrip("/") + "/status/"
        for _ in range(15):  # the status page itself polls every 2 s
            status = self.get(status_url, "pdf: status")
            if status.status_code != 200 or b">Done<" in status.content or b">Failed<" in status.content:
                return
            gevent.sleep(2)
