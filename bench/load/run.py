"""`make load`: the deadline week of 43 forces through the production shape, on loopback.

    make load                                   # 300 people for 300 s
    make load LOAD_SECONDS=60 LOAD_USERS=50     # a quick look

Steps: create the load database if missing (LOAD_DATABASE_URL, default spr_load on this machine's
PostgreSQL), migrate and seed it at national scale (idempotent), write the plan (bench/load/prepare.py),
start a Celery worker and gunicorn with gunicorn.conf.py and DEBUG off, run locust headless for the
time asked, then stop both and check every acknowledged save against the database's history.

It prints p50/p95/p99 per kind of request, throughput, errors, the database's connection count
(sampled every 2 s), the CPU each process used (the load generator shares the machine's cores with
the server, so its share is printed), lost and duplicated writes, and, if an earlier run's figures
are in bench/out/load/latest.json, the change since. It ends with one line:

    LOAD p95_ms=<n> p99_ms=<n> rps=<n> errors=<n> lost=<n>

It asserts nothing: the targets (bench/README.md) are printed beside the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

BASE = Path(__file__).resolve().parent.parent.parent
OUT = BASE / "bench" / "out" / "load"
VENV_BIN = Path(sys.executable).parent
TARGET_P95_MS = 250


def sh(*command: str, env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=BASE, env=env, check=True, **kwargs)


def wait_for(url: str, *, seconds: float, headers: dict) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=2) as answer:  # noqa: S310 (http only)
                if answer.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"load: {url} did not answer within {seconds:.0f} s")
        time.sleep(0.5)


class ConnectionSampler(threading.Thread):
    """Counts the database's connections to the load database every two seconds."""

    def __init__(self, database_url: str):
        super().__init__(daemon=True)
        self.database_url = database_url
        self.samples: list[int] = []
        self.stopping = threading.Event()

    def run(self) -> None:
        import psycopg2

        name = urlsplit(self.database_url).path.lstrip("/")
        connection = psycopg2.connect(self.database_url)
        connection.autocommit = True
        with connection.cursor() as cursor:
            while not self.stopping.wait(2):
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [name])
                self.samples.append(cursor.fetchone()[0] - 1)  # not this sampler's own
        connection.close()


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its children so far (gunicorn's and Celery's workers)."""
    import psutil

    try:
        parent = psutil.Process(pid)
        total = sum(parent.cpu_times()[:2])
        for child in parent.children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                total += sum(child.cpu_times()[:2])
        return total
    except psutil.NoSuchProcess:
        return 0.0


def read_stats(prefix: Path) -> list[dict]:
    rows = []
    with open(f"{prefix}_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            if row["Type"] == "CONFLICT":
                continue
            rows.append(
                {
                    "kind": row["Name"] if row["Name"] != "Aggregated" else "all",
                    "requests": int(row["Request Count"]),
                    "errors": int(row["Failure Count"]),
                    "p50_ms": float(row["50%"] or 0),
                    "p95_ms": float(row["95%"] or 0),
                    "p99_ms": float(row["99%"] or 0),
                    "rps": float(row["Requests/s"] or 0),
                }
            )
    return rows


def conflicts(prefix: Path) -> int:
    with open(f"{prefix}_stats.csv", newline="") as stats:
        return sum(int(row["Request Count"]) for row in csv.DictReader(stats) if row["Type"] == "CONFLICT")


def check_writes(env: dict, acks_file: Path) -> dict:
    """Every acknowledged save is in the history once, with the version the client was told."""
    code = r"""
import json, sys
from collections import Counter
import django
django.setup()
from assessments.models import Response
data = json.load(open(sys.argv[1]))
History = Response.history.model
rows = list(History.objects.filter(narrative__startswith=data["marker"]).values_list("id", "version", "narrative"))
stored = Counter(rows)
acked = {(a["id"], a["version"], a["narrative"]) for a in data["acks"]}
lost = sum(1 for ack in acked if stored[ack] == 0)
duplicated = sum(count - 1 for count in stored.values() if count > 1)
versions = Counter((pk, version) for pk, version, _ in rows)
duplicated += sum(count - 1 for count in versions.values() if count > 1)
unacknowledged = sum(1 for row in stored if row not in acked)
print(json.dumps({"acknowledged": len(acked), "lost": lost, "duplicated": duplicated,
                  "unacknowledged": unacknowledged}))
"""
    answer = sh(str(VENV_BIN / "python"), "-c", code, str(acks_file), env=env, capture_output=True, text=True)
    return json.loads(answer.stdout.strip().splitlines()[-1])


def print_table(figures: dict, previous: dict | None) -> None:
    before = {row["kind"]: row for row in (previous or {}).get("kinds", [])}
    print()
    print(f"{'kind':<28} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}  {'p95 before':>10}")
    for row in figures["kinds"]:
        old = before.get(row["kind"])
        was = f"{old['p95_ms']:.0f}" if old else "-"
        print(
            f"{row['kind']:<28} {row['requests']:>8} {row['errors']:>6} {row['p50_ms']:>7.0f} {row['p95_ms']:>7.0f}"
            f" {row['p99_ms']:>7.0f}  {was:>10}"
        )
    w = figures["writes"]
    c = figures["cpu_seconds"]
    db = figures["db_connections"]
    print()
    print(f"throughput      {figures['rps']:.1f} requests/s over {figures['seconds']} s, {figures['users']} people")
    print(f"errors          {figures['errors']}  (stale saves refused with 412, not errors: {figures['conflicts']})")
    print(
        f"writes          {w['acknowledged']} acknowledged, {w['lost']} lost, {w['duplicated']} duplicated,"
        f" {w['unacknowledged']} stored but not acknowledged (client gave up first)"
    )
    print(f"db connections  max {db['max']}, mean {db['mean']:.1f}")
    print(
        f"cpu seconds     gunicorn {c['gunicorn']:.0f}, celery {c['celery']:.0f}, locust {c['locust']:.0f}"
        f" ({c['locust'] / figures['seconds'] * 100:.0f}% of one core)"
    )
    print(f"target          p95 <= {TARGET_P95_MS} ms for pages and API, 0 errors, 0 lost or duplicated writes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=int(os.environ.get("LOAD_SECONDS", "300")))
    parser.add_argument("--users", type=int, default=int(os.environ.get("LOAD_USERS", "300")))
    parser.add_argument("--port", type=int, default=int(os.environ.get("LOAD_PORT", "8765")))
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (the Dockerfile's 3)")
    args = parser.parse_args()

    database_url = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/spr_load")
    broker_url = os.environ.get("LOAD_BROKER_URL", "redis://127.0.0.1:6379/6")
    OUT.mkdir(parents=True, exist_ok=True)
    var = OUT / "var"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": broker_url,
        "DEBUG": "true",  # set-up only: seeding needs it; the server below runs with DEBUG off
        "SPR_VAR_DIR": str(var),
        "PYTHONHASHSEED": "0",
        "DJANGO_SETTINGS_MODULE": "spr.settings",
    }
    python = str(VENV_BIN / "python")
    sh(python, "bench/run.py", "--create-database", env=env)
    sh(python, "manage.py", "migrate", "--noinput", env=env, stdout=subprocess.DEVNULL)
    sh(python, "manage.py", "seed_demo", "--scale", "national", env=env, stdout=subprocess.DEVNULL)

    # The production shape: DEBUG off, behind a TLS proxy (the client sends X-Forwarded-Proto), no MFA
    # step because sessions are made directly (signing in is not what this measures).
    server_env = {
        **env,
        "DEBUG": "false",
        "SECRET_KEY": "load-test-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "SPR_REQUIRE_MFA": "false",
        "SPR_AUDIT_KEY": os.environ.get("SPR_AUDIT_KEY", "load-test-audit-key-" + "k" * 32),
        "LOG_LEVEL": "WARNING",
    }
    sh(python, "manage.py", "collectstatic", "--noinput", env=server_env, stdout=subprocess.DEVNULL)
    plan_file, acks_file = OUT / "plan.json", OUT / "acks.json"
    with open(plan_file, "w") as plan:
        sh(python, "bench/load/prepare.py", env=server_env, stdout=plan)
    plan_data = json.loads(plan_file.read_text())
    editable = sum(1 for force in plan_data["forces"] if force["editable"])
    print(f"load: {len(plan_data['forces'])} forces, {editable} with a draft being edited")
    worker = subprocess.Popen(
        [str(VENV_BIN / "celery"), "-A", "spr", "worker", "--concurrency=2", "--loglevel=WARNING"],
        cwd=BASE,
        env=server_env,
        start_new_session=True,
    )
    web = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "spr.wsgi:application",
            "-c",
            "gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--log-level",
            "warning",
        ],
        cwd=BASE,
        env=server_env,
        start_new_session=True,
    )
    sampler = ConnectionSampler(database_url)
    try:
        wait_for(f"http://127.0.0.1:{args.port}/healthz", seconds=60, headers={"X-Forwarded-Proto": "https"})
        cpu_web, cpu_worker = cpu_seconds(web.pid), cpu_seconds(worker.pid)
        sampler.start()
        prefix = OUT / "locust"
        spawn_rate = max(1, args.users // 30)  # everyone arrives within ~30 s
        locust = subprocess.Popen(
            [
                str(VENV_BIN / "locust"),
                "-f",
                "bench/load/locustfile.py",
                "--headless",
                "--only-summary",
                "-u",
                str(args.users),
                "-r",
                str(spawn_rate),
                "--run-time",
                f"{args.seconds}s",
                "--host",
                f"http://127.0.0.1:{args.port}",
                "--csv",
                str(prefix),
                "--stop-timeout",
                "30",
                "--loglevel",
                "WARNING",
            ],
            cwd=BASE,
            env={**env, "LOAD_PLAN": str(plan_file), "LOAD_ACKS": str(acks_file)},
        )
        _, _, usage = os.wait4(locust.pid, 0)
        locust.returncode = 0
        cpu_locust = usage.ru_utime + usage.ru_stime
        cpu_web = cpu_seconds(web.pid) - cpu_web
        cpu_worker = cpu_seconds(worker.pid) - cpu_worker
    finally:
        sampler.stopping.set()
        for process in (web, worker):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
    sampler.join(timeout=5)

    kinds = read_stats(prefix)
    overall = next(row for row in kinds if row["kind"] == "all")
    writes = check_writes(env, acks_file)
    figures = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": f"{os.cpu_count()} cores",
        "command": f"make load LOAD_SECONDS={args.seconds} LOAD_USERS={args.users}",
        "seconds": args.seconds,
        "users": args.users,
        "kinds": kinds,
        "rps": overall["rps"],
        "errors": overall["errors"],
        "conflicts": conflicts(prefix),
        "writes": writes,
        "db_connections": {
            "max": max(sampler.samples, default=0),
            "mean": sum(sampler.samples) / len(sampler.samples) if sampler.samples else 0.0,
        },
        "cpu_seconds": {"gunicorn": cpu_web, "celery": cpu_worker, "locust": cpu_locust},
    }
    latest = OUT / "latest.json"
    previous = json.loads(latest.read_text()) if latest.exists() else None
    print_table(figures, previous)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    (OUT / f"load-{stamp}.json").write_text(json.dumps(figures, indent=2))
    latest.write_text(json.dumps(figures, indent=2))
    print(f"figures written to {OUT / f'load-{stamp}.json'}")
    print(
        f"LOAD p95_ms={overall['p95_ms']:.0f} p99_ms={overall['p99_ms']:.0f} rps={overall['rps']:.1f}"
        f" errors={overall['errors']} lost={writes['lost']}"
    )


if __name__ == "__main__":
    main()
