"""A schema-driven fuzz run of the API (issue 13): schemathesis generates requests from
/api/v1/schema/ for every operation, as staff of two forces and an HMIC inspector, valid and invalid
data alike, against the WSGI app in this process. No answer may be a server error, and every answer
must match the schema (status, content type, body).

Bounded: a fixed seed and a fixed number of examples per operation and user (SPR_FUZZ_EXAMPLES, 3 by
default: 9 an operation), so the run is repeatable and stays within about half a minute in `make test`.
A deeper run is the same test with more examples, e.g. `SPR_FUZZ_EXAMPLES=20 pytest tests/security/test_fuzz.py`."""

from __future__ import annotations

import logging
import os
import time

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, given, strategies
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from core.models import ApiToken
from core.tokens import token_create
from spr.wsgi import application
from tests.factories import make_assessment
from tests.security.test_every_route import world as world  # noqa: F401 — a fixture, used by name

CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance]
#: Examples per operation and user. 3 keeps the suite under its time budget; raise it for a deeper run.
EXAMPLES = int(os.environ.get("SPR_FUZZ_EXAMPLES", "3"))
SEED = 13


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, keeping the test's database connection open between requests
    (as Django's test client does: the request signals would close it)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield application
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_tokens(world, other_staff_user, inspector_user, staff_user, forces, spr2012):
    """A personal token per user (`Authorization: Bearer`), and a spare one each for
    `DELETE /api/v1/tokens/{id}/` to find."""
    make_assessment(user=other_staff_user, force=forces["kent"], edition=spr2012, period="2025/26")
    users = (staff_user, other_staff_user, inspector_user)
    for user in users:
        token_create(user=user, name="Spare for the fuzzer")
    return {user.username: token_create(user=user, name="Fuzzer").secret for user in users}


def _keep_fuzzing_tokens() -> None:
    """The fuzzer may revoke the very token it calls with (a valid DELETE of its own id): put it back,
    so the rest of the run is not a wall of 401s."""
    ApiToken.objects.filter(name="Fuzzer", revoked_at__isnull=False).update(revoked_at=None)


@pytest.fixture
def quiet_4xx():
    """Thousands of 4xx answers are the point of the run: log only server errors meanwhile."""
    logger = logging.getLogger("django.request")
    level = logger.level
    logger.setLevel(logging.ERROR)
    yield
    logger.setLevel(level)


@pytest.mark.django_db
def test_the_api_survives_a_schema_driven_fuzz_run(wsgi_app, fuzz_tokens, quiet_4xx):
    token = next(iter(fuzz_tokens.values()))
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", wsgi_app, headers={"Authorization": f"Bearer {token}"}
    )
    failures: list[str] = []
    started = time.monotonic()
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        strategy = strategies.one_of(
            operation.as_strategy(GenerationMode.POSITIVE), operation.as_strategy(GenerationMode.NEGATIVE)
        )

        @hypothesis.seed(SEED)
        @hypothesis.settings(
            max_examples=EXAMPLES * len(fuzz_tokens),
            deadline=None,
            database=None,
            derandomize=False,
            suppress_health_check=list(HealthCheck),
            phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        )
        @given(case=strategy, who=strategies.sampled_from(sorted(fuzz_tokens)))
        def run(case, who):
            response = case.call(headers={"Authorization": f"Bearer {fuzz_tokens[who]}"})
            if case.method == "DELETE":
                _keep_fuzzing_tokens()
            try:
                case.validate_response(response, checks=CHECKS)
            except (AssertionError, BaseExceptionGroup) as exc:  # collected, then reported together
                failures.append(f"{case.operation.label} as {who}: {response.status_code} {str(exc)[:600]}")

        run()
    elapsed = time.monotonic() - started
    print(f"fuzzed {operations} operations in {elapsed:.0f} s")
    assert operations > 40
    assert not failures, "\n\n".join(sorted(set(failures))[:40])
