"""Private servers for the failure drills: a PostgreSQL cluster (initdb/pg_ctl), a Redis server and
the app itself (gunicorn), each on a free loopback port of its own, started and stopped by the tests.

Nothing here touches the machine's own PostgreSQL or Redis. Every wait is bounded.
"""

from __future__ import annotations

import contextlib
import glob
import http.cookiejar
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIRED = os.environ.get("SPR_REQUIRE_DRILLS") == "1"


def unavailable(reason: str):
    """Skip a drill whose tools are missing, except where drills are required (CI sets
    SPR_REQUIRE_DRILLS=1): there a missing tool fails the run."""
    if REQUIRED:
        pytest.fail(f"{reason} (SPR_REQUIRE_DRILLS=1)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise TimeoutError(f"{what} not reached within {timeout} s")


# --- PostgreSQL ---------------------------------------------------------------------------------------


def postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[4]))
    return Path(found[-1]).parent if found else None


@dataclass
class PrivatePostgres:
    """A PostgreSQL cluster of the test's own in a temporary folder. As root it runs as the `postgres`
    system user (PostgreSQL refuses to run as root)."""

    bin: Path
    folder: Path
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=True, cwd=self.folder)

    def init(self) -> None:
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            os.chown(self.folder, user.pw_uid, user.pw_gid)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")

    def start(self) -> None:
        # fsync off only spares the disk on a busy machine: a restart (even an immediate one) loses no
        # committed transaction, since the WAL reaches the operating system before a commit returns.
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.folder / "log"), "-o", options, "-w", "-t", "30", "start"
        )

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "30", "stop")

    def createdb(self, name: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", name)

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def query(self, name: str, sql: str, params=()) -> list[tuple]:
        import psycopg2

        with contextlib.closing(psycopg2.connect(self.url(name))) as connection, connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()


@contextlib.contextmanager
def private_postgres():
    binaries = postgres_bin()
    if binaries is None:
        unavailable("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    folder = Path(tempfile.mkdtemp(prefix="spr-drill-pg-"))
    cluster = PrivatePostgres(bin=binaries, folder=folder)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        with contextlib.suppress(Exception):
            cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


# --- Redis --------------------------------------------------------------------------------------------


@dataclass
class PrivateRedis:
    folder: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers, timeout=10, what="redis-server answering")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=10)
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait(timeout=5)
            self.process = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


@contextlib.contextmanager
def private_redis():
    if shutil.which("redis-server") is None:
        unavailable("redis-server is not installed")
    folder = Path(tempfile.mkdtemp(prefix="spr-drill-redis-"))
    server = PrivateRedis(folder=folder)
    try:
        server.start()
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


# --- The app ------------------------------------------------------------------------------------------


def app_environment(database_url: str, broker_url: str, folder: Path) -> dict[str, str]:
    """The production profile (DEBUG off) over plain HTTP on loopback, against the given servers."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_", "SPR_", "DATABASE_", "CELERY_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="spr.settings",
        DEBUG="false",
        SECRET_KEY="drill-secret-key-for-a-private-loopback-server-only",  # noqa: S106
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        SESSION_COOKIE_SECURE="false",
        STATIC_MANIFEST="false",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        SPR_VAR_DIR=str(folder),
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
        # The drills' clients go as fast as they can; the API's rate limit is not what they test.
        SPR_API_THROTTLE_USER="100000/min",
        # Production needs the audit key; the drills' people sign in with a password alone (the second
        # factor is tested in tests/core/test_signin.py, not what a database restart tests).
        SPR_AUDIT_KEY="drill-audit-key-for-a-private-loopback-server-only",
        SPR_REQUIRE_MFA="false",
    )
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


SEED = """
import json
from django.core.management import call_command
from django.contrib.auth import get_user_model
from core.roles import Role, grant
from core.tokens import token_create
from forces.models import Force, Membership
from tests.factories import make_assessment
from tests.reference import load_editions, load_forces
from threats.models import Edition

call_command("migrate", interactive=False, verbosity=0)
load_forces()
load_editions()
user = get_user_model().objects.create_user(username="drill-staff", password="drill passphrase 1")
grant(user, Role.PCC_STAFF)
force = Force.objects.get(code="west-midlands")
Membership.objects.create(user=user, force=force)
assessment = make_assessment(user=user, force=force, edition=Edition.objects.get(code="spr-2012"))
print(json.dumps({
    "token": token_create(user=user, name="Drill").secret,
    "assessment": assessment.pk,
    "responses": list(assessment.responses.order_by("pk").values_list("pk", flat=True)),
}))
"""


def migrate_and_seed(env: dict[str, str]) -> dict:
    """The schema, then forces, SPR 2012, one PCC staff user with an API token and a draft assessment
    (one process: each Django start costs seconds on a busy machine)."""
    out = manage(env, "shell", "--no-imports", "-c", SEED, timeout=240)
    return json.loads(out.strip().splitlines()[-1])


@dataclass
class App:
    port: int
    process: subprocess.Popen
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        # SIGINT: gunicorn's quick shutdown (SIGTERM would wait for its graceful timeout).
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)


@contextlib.contextmanager
def running_app(env: dict[str, str], folder: Path):
    """gunicorn (two workers) serving the app on a free loopback port."""
    port = free_port()
    log = folder / "gunicorn.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "spr.wsgi",
                "-b",
                f"127.0.0.1:{port}",
                "-w",
                "2",
                "--timeout",
                "30",
                "--graceful-timeout",
                "5",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    app = App(port=port, process=process, log=log)
    try:
        wait_until(lambda: request(app.base + "/healthz")[0] == 200, timeout=30, interval=0.2, what="the app answering")
        yield app
    finally:
        app.stop()


def request(url: str, *, method: str = "GET", body=None, headers=None, timeout: float = 10):
    """(status, headers, parsed JSON or text) for one HTTP request; (0, {}, error) if no answer came."""
    data = json.dumps(body).encode() if body is not None else None
    all_headers = {"Accept": "application/json", **(headers or {})}
    if data is not None:
        all_headers.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=all_headers)  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:  # noqa: S310 — loopback only
            return answer.status, dict(answer.headers), _decode(answer.read(), answer.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), _decode(error.read(), error.headers)
    except (urllib.error.URLError, OSError) as error:
        return 0, {}, str(error)


def _decode(raw: bytes, headers):
    if (headers.get("Content-Type") or "").startswith("application/json"):
        try:
            return json.loads(raw)
        except ValueError:
            return raw.decode(errors="replace")
    return raw.decode(errors="replace")


def sign_in(base: str, username: str, password: str, timeout: float = 5):
    """A browser: cookies kept, redirects followed. Returns (opener, the page after signing in)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/accounts/login/", timeout=timeout) as page:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode()).group(1)
    form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "login": username, "password": password})
    signed_in = urllib.request.Request(  # noqa: S310 — loopback only
        f"{base}/accounts/login/", data=form.encode(), headers={"Referer": f"{base}/accounts/login/"}
    )
    with opener.open(signed_in, timeout=timeout) as page:
        return opener, page.geturl(), page.read().decode()
