"""Shared fixtures: reference data, one user and one signed-in client per role, and always a user of
another force, so every test can prove nothing leaks across forces."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from core.roles import Role, grant
from forces.models import Force, Membership
from tests.reference import load_editions, load_forces

# Every process the tests start (Celery workers, the drills' gunicorn and manage.py) inherits this:
# a report frozen in a test worker appends its audit checkpoint here, never to the real
# var/audit/checkpoints.jsonl that `verify_audit` holds the app's own database against.
os.environ["SPR_AUDIT_CHECKPOINT_DIR"] = tempfile.mkdtemp(prefix="spr-test-audit-")

HOME_FORCE = "west-midlands"
OTHER_FORCE = "kent"


@pytest.fixture(autouse=True)
def audit_checkpoint_dir(settings, tmp_path_factory):
    """Each test's own checkpoint directory, so `verify_audit` never holds one test's chain against
    another's checkpoints (core/checkpoints.py)."""
    settings.SPR_AUDIT_CHECKPOINT_DIR = tmp_path_factory.mktemp("audit")
    return settings.SPR_AUDIT_CHECKPOINT_DIR


@pytest.fixture(autouse=True)
def fresh_reference_caches():
    """Each test starts with empty per-process caches of reference data (edition structures and
    layouts, judgement scales, forces and regions): a test database rolled back reuses ids, and a
    cache is emptied by saves, which a rollback is not. Their invalidation is tested on its own
    (tests/core/test_reference_caches.py) without this."""
    from capabilities.structure import forget_structures
    from forces.catalogue import forget_forces
    from threats.scales import forget_scales

    forget_structures()
    forget_forces()
    forget_scales()


@pytest.fixture
def forces(db):
    """The 46 forces from data/*.csv, as `manage.py load_forces` loads them."""
    load_forces()
    return {force.code: force for force in Force.objects.all()}


@pytest.fixture
def spr2012(db):
    """The SPR 2012 edition, loaded from editions/spr-2012.yaml as `make run` does."""
    from threats.models import Edition

    load_editions()
    return Edition.objects.get(code="spr-2012")


@pytest.fixture
def make_user(db, forces):
    """make_user(role, force_code=None, username=None) -> a user holding `role`, a member of the force."""
    counter = {"n": 0}

    def _make(role: Role, force_code: str | None = None, username: str | None = None):
        counter["n"] += 1
        user = get_user_model().objects.create_user(
            username=username or f"{role.slug}-{force_code or 'national'}-{counter['n']}",
            password="correct horse battery staple",
            email=f"{role.slug}{counter['n']}@example.police.uk",
        )
        grant(user, role)
        if force_code:
            Membership.objects.create(user=user, force=forces[force_code])
        return user

    return _make


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_user(make_user):
    return make_user(Role.PCC_STAFF, HOME_FORCE, "staff-home")


@pytest.fixture
def chief_user(make_user):
    return make_user(Role.CHIEF_CONSTABLE, HOME_FORCE, "chief-home")


@pytest.fixture
def pcc_user(make_user):
    return make_user(Role.PCC, HOME_FORCE, "pcc-home")


@pytest.fixture
def inspector_user(make_user):
    return make_user(Role.INSPECTOR, None, "inspector")


@pytest.fixture
def national_admin_user(make_user):
    return make_user(Role.NATIONAL_ADMIN, None, "national-admin")


@pytest.fixture
def other_staff_user(make_user):
    """PCC office staff of another force: must never see the home force's objects."""
    return make_user(Role.PCC_STAFF, OTHER_FORCE, "staff-other")


@pytest.fixture
def staff_client(staff_user):
    return _client_for(staff_user)


@pytest.fixture
def chief_client(chief_user):
    return _client_for(chief_user)


@pytest.fixture
def pcc_client(pcc_user):
    return _client_for(pcc_user)


@pytest.fixture
def inspector_client(inspector_user):
    return _client_for(inspector_user)


@pytest.fixture
def national_admin_client(national_admin_user):
    return _client_for(national_admin_user)


@pytest.fixture
def other_staff_client(other_staff_user):
    return _client_for(other_staff_user)


ROLE_CLIENTS = [
    "staff_client",
    "chief_client",
    "pcc_client",
    "inspector_client",
    "national_admin_client",
    "other_staff_client",
]


@pytest.fixture(params=ROLE_CLIENTS)
def any_role_client(request):
    """Parametrises a test over a signed-in client of every role."""
    return request.getfixturevalue(request.param)


def _database_url_for_worker() -> str:
    """The URL of the database the tests use (the test database), for a worker subprocess."""
    from django.db import connection

    params = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{params['NAME']}"
    user = params.get("USER") or ""
    password = f":{params['PASSWORD']}" if params.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{params.get('HOST') or '127.0.0.1'}:{params.get('PORT') or 5432}/{params['NAME']}"


#: The address the worker's e-mails link to (SITE_URL in its environment).
WORKER_SITE_URL = "https://spr.example.gov.uk"


@pytest.fixture(scope="session")
def worker_mail_dir(tmp_path_factory) -> Path:
    """Where the real worker's e-mails land (Django's file-based backend: one file per connection)."""
    return tmp_path_factory.mktemp("worker-mail")


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker, tmp_path_factory, worker_mail_dir):
    """A real Celery worker on the configured broker (Redis in CI, the filesystem broker otherwise),
    reading and writing the test database. Tests using it need `transactional_db` so their rows are
    committed where the worker can see them. Its e-mail goes to files in `worker_mail_dir`."""
    import os
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    from django.conf import settings

    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": _database_url_for_worker(),
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "spr.settings",
            "SPR_MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "SPR_REPORTS_ROOT": str(settings.REPORTS_ROOT),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(worker_mail_dir),
            "SITE_URL": WORKER_SITE_URL,
        }
    )
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        env["SPR_BROKER_DIR"] = str(settings.BROKER_DIR)
    log = tmp_path_factory.mktemp("worker") / "worker.log"
    celery = Path(sys.executable).with_name("celery")
    with log.open("wb") as handle:
        process = subprocess.Popen(
            [
                str(celery),
                "-A",
                "spr",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                "test-worker@%h",
            ],
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and b"ready." not in log.read_bytes():
        if process.poll() is not None:
            raise RuntimeError(f"Celery worker exited at start:\n{log.read_text()}")
        time.sleep(0.2)
    yield process
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


#: The EICAR anti-virus test file: harmless, and detected by every scanner as if it were a virus.
EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """A real ClamAV daemon (Debian's clamav-daemon) in the foreground, with its own configuration, a
    Unix socket in a temporary folder and a local signature file that detects EICAR (no signature
    download is possible here). Skips only if the clamd binary is absent; .ci/run installs it."""
    import hashlib
    import shutil
    import signal
    import socket
    import subprocess
    import time

    binary = shutil.which("clamd") or ("/usr/sbin/clamd" if Path("/usr/sbin/clamd").exists() else None)
    if binary is None:
        if os.environ.get("SPR_REQUIRE_CLAMD"):  # .ci/run sets it: in CI these tests never skip
            pytest.fail("clamd is not installed but SPR_REQUIRE_CLAMD is set (apt-get install clamav-daemon)")
        pytest.skip("clamd is not installed (Debian package clamav-daemon; .ci/run installs it)")
    folder = tmp_path_factory.mktemp("clamd")
    (folder / "db").mkdir()
    (folder / "db" / "local.hdb").write_text(f"{hashlib.md5(EICAR).hexdigest()}:{len(EICAR)}:Local.EICAR\n")  # noqa: S324 — ClamAV's format
    path = folder / "clamd.sock"
    config = folder / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                "Foreground yes",
                f"LocalSocket {path}",
                f"DatabaseDirectory {folder / 'db'}",
                f"TemporaryDirectory {folder}",
                f"LogFile {folder / 'clamd.log'}",
                "StreamMaxLength 60M",
                "",
            ]
        )
    )
    log = (folder / "stdout.log").open("wb")
    process = subprocess.Popen(
        [binary, "-c", str(config)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"clamd exited at start:\n{(folder / 'stdout.log').read_text()}")
        if path.exists():
            with socket.socket(socket.AF_UNIX) as probe, contextlib.suppress(OSError):
                probe.connect(str(path))
                probe.sendall(b"nPING\n")
                if probe.recv(16).strip() == b"PONG":
                    break
        time.sleep(0.2)
    else:
        process.kill()
        raise RuntimeError("clamd did not answer PING within 60 s")
    yield str(path)
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    log.close()
