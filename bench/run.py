"""Server-side timings of the dashboards, the task list and the API on national-scale data.

Run it through `make bench` (PostgreSQL, see bench/README.md), or by hand:

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/spr_bench_dashboards DEBUG=true
    .venv/bin/python manage.py migrate && .venv/bin/python manage.py seed_demo --scale national
    .venv/bin/python bench/run.py

It prints figures and asserts nothing. Requests go through django.test.Client in-process (the whole
middleware stack, no network), each wrapped in CaptureQueriesContext for its query count.

1. "1x": the national data set as seeded (46 forces x 3 periods).
2. "4x": a copy of the database (PostgreSQL: CREATE DATABASE ... TEMPLATE; SQLite: a file copy) with
   nine more periods seeded (the nine before the three seeded), so 4x the assessments, responses, evidence,
   actions, departures, audit entries and capacity figures (12 periods instead of 3). The pages
   measured are the same; their data grows in the tables they read.
3. A synthetic edition of 1,209 requirements, created in the copy only: create an assessment
   against it through the API, list all its responses (page_size=2000, all pages), save one response.
The copy is dropped at the end, so the synthetic edition and the extra periods never stay behind.
The 4x copy is seeded first; then the pages are measured at 1x, 4x, 4x and 1x, each time in a fresh
Python process (this script runs itself with --measure) with half the requests, and each size's
samples are pooled.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spr.settings")
# Quiet logs: every client the benchmark signs in would log a sign-in line (axes) among the figures.
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DEBUG", "true")  # static files without a manifest; switched off below for the run
# The benchmark databases keep their own audit checkpoints, apart from the app's (core/checkpoints.py).
os.environ.setdefault("SPR_AUDIT_CHECKPOINT_DIR", str(Path(__file__).resolve().parent.parent / "var" / "bench-audit"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, connections, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402

from assessments.models import Assessment  # noqa: E402
from demo.national import demo_periods  # noqa: E402

#: The three periods `seed_demo --scale national` fills, relative to today (oldest first), and the nine
#: before them that the 4x copy adds.
PERIODS = demo_periods()
EXTRA_PERIODS = demo_periods(count=12)[:9]
#: The period the pages are measured on: the last one before today's, which the seed mostly publishes.
MEASURED_PERIOD = PERIODS[-2]
SYNTHETIC = "bench-synthetic-1209"
TARGETS = {"national view": 150, "force dashboard": 80, "task list": 80, "national API": 150}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def measure(label: str, calls: list, repeat: int) -> dict:
    """Run each (client, method, url, kwargs) in turn `repeat` times in all, after one warm-up each.
    Answers the samples: wall and CPU milliseconds and query counts, one of each per request."""
    for client, method, url, kwargs in calls:
        getattr(client, method)(url, **kwargs)
    times, cpu, queries = [], [], []
    for number in range(repeat):
        client, method, url, kwargs = calls[number % len(calls)]
        response, elapsed, used, count = timed(client, method, url, **kwargs)
        if response.status_code >= 400:
            raise SystemExit(f"{label}: {url} answered {response.status_code}")
        times.append(elapsed)
        cpu.append(used)
        queries.append(count)
    return {"times": times, "cpu": cpu, "queries": queries}


def summarise(label: str, samples: dict) -> dict:
    """Print and answer p50 and p95 of the wall and CPU times and the largest query count."""
    times, cpu = samples["times"], samples["cpu"]
    result = {
        "n": len(times),
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "cpu50": statistics.median(cpu),
        "cpu95": percentile(cpu, 0.95),
        "queries": max(samples["queries"]),
    }
    print(
        f"  {label:<18} n={result['n']:<4} p50 {result['p50']:7.1f} ms   p95 {result['p95']:7.1f} ms   "
        f"(web process CPU p50 {result['cpu50']:6.1f} ms, p95 {result['cpu95']:6.1f} ms)   queries {result['queries']}"
    )
    return result


def timed(client, method: str, url: str, **kwargs):
    """One request: (response, wall ms, this process's CPU ms, queries). The CPU time leaves out the
    database server's work and, on a busy machine, the time spent waiting for a CPU."""
    reset_queries()  # the query log keeps 9,000 entries; a full log would make every capture empty
    with CaptureQueriesContext(connection) as captured:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = getattr(client, method)(url, **kwargs)
        elapsed, used = (time.perf_counter() - started) * 1000, (time.process_time() - started_cpu) * 1000
    return response, elapsed, used, len(captured.captured_queries)


def page_set(repeat: int) -> dict[str, dict]:
    latest = (
        Assessment.objects.filter(edition__code="spr-2012", period=MEASURED_PERIOD)
        .select_related("force")
        .order_by("force__code")
    )
    forces = [(a.force.code, a.pk) for a in latest]
    inspector = client_for("inspector")
    chiefs = [(client_for(f"chief-{code}"), "get", "/dashboard/", {}) for code, _ in forces[:12]]
    staff = [(client_for(f"staff-{code}"), "get", f"/assessments/{pk}/", {}) for code, pk in forces[:12]]
    regions = ["", "?region=west-midlands", "?region=south-east", "?sort=-cell:terrorism:capacity"]
    return {
        "national view": measure("national view", [(inspector, "get", f"/national/{r}", {}) for r in regions], repeat),
        "force dashboard": measure("force dashboard", chiefs, repeat),
        "task list": measure("task list", staff, repeat),
        "national API": measure(
            "national API", [(inspector, "get", f"/api/v1/dashboard/national/{r}", {}) for r in regions], repeat
        ),
    }


def data_size() -> str:
    from assessments.models import Evidence, Response
    from core.models import AuditEntry

    return (
        f"{Assessment.objects.count()} assessments, {Response.objects.count()} responses, "
        f"{Evidence.objects.count()} evidence items, {AuditEntry.objects.count()} audit entries"
    )


# --- The 4x copy ------------------------------------------------------------------------------------


def copy_database() -> tuple[str, str]:
    """Copy the database and point the default connection at the copy. Returns (vendor, copy name)."""
    settings_dict = connection.settings_dict
    original = settings_dict["NAME"]
    vendor = connection.vendor
    connections.close_all()
    if vendor == "postgresql":
        # A template database must have no other session open: ours were closed just above.
        copy = f"{original}_bench4x"
        admin = _postgres_admin_cursor(settings_dict)
        admin.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        admin.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{original}"')
        admin.connection.close()
    else:
        import sqlite3

        copy = str(Path(original).with_name(Path(original).stem + "-bench4x.sqlite3"))
        source, target = sqlite3.connect(original), sqlite3.connect(copy)
        source.backup(target)
        source.close()
        target.close()
    settings_dict["NAME"] = copy
    connections.close_all()
    return vendor, copy


def drop_copy(vendor: str, copy: str, original: str) -> None:
    connections.close_all()
    connection.settings_dict["NAME"] = original
    if vendor == "postgresql":
        admin = _postgres_admin_cursor(connection.settings_dict)
        admin.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        admin.connection.close()
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(copy + suffix).unlink(missing_ok=True)


def settle() -> None:
    """Put the database and this (fresh) process in the state of a running service before measuring.

    ANALYZE refreshes the planner's statistics, as autovacuum would on a live database: straight after
    a bulk load PostgreSQL still plans with the empty tables' estimates (nested loops over "1 row"
    that is hundreds). Then what the process holds after start-up is collected and frozen out of the
    garbage collector's way, as gunicorn.conf.py does in the master before forking each web worker:
    without it, full collections walking Django's ~100,000 start-up objects land in random requests
    and move a p95 of 50 requests by up to 40%, whatever the data size."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    gc.collect()
    gc.freeze()


def create_database() -> None:
    """Create DATABASE_URL's PostgreSQL database if it does not exist (SQLite files create themselves)."""
    if connection.vendor != "postgresql":
        return
    name = connection.settings_dict["NAME"]
    admin = _postgres_admin_cursor(connection.settings_dict)
    admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    if admin.fetchone() is None:
        admin.execute(f'CREATE DATABASE "{name}"')
        print(f"Created database {name}")
    admin.connection.close()


def _postgres_admin_cursor(settings_dict):
    import psycopg2

    raw = psycopg2.connect(
        dbname="postgres",
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
    )
    raw.autocommit = True
    return raw.cursor()


# --- The synthetic edition -------------------------------------------------------------------------


def synthetic_edition(size: int = 1209):
    """An edition of `size` requirements spread over 5 threats x 5 areas (bench only, never shipped)."""
    import datetime as dt

    from capabilities.models import Area, Requirement
    from threats.models import Edition, JudgementLevel, Threat

    Edition.objects.filter(code=SYNTHETIC).delete()
    edition = Edition.objects.create(
        # In force, as an edition a force is assessed against is: a draft is refused for a new assessment
        # (issue 15) and its judgement scale is never cached (threats/scales.py).
        code=SYNTHETIC,
        title="Synthetic bench edition",
        published_on=dt.date(2030, 1, 1),
        status="in_force",
    )
    scale = JudgementLevel.objects.filter(edition__code="spr-2012")
    JudgementLevel.objects.bulk_create(
        [
            JudgementLevel(
                edition=edition, code=lv.code, label=lv.label, score=lv.score, colour=lv.colour, position=lv.position
            )
            for lv in scale
        ]
    )
    threats = Threat.objects.bulk_create(
        [
            Threat(
                edition=edition, code=f"t{n}", name=f"Threat {n}", description="Synthetic", paragraph="2.2", position=n
            )
            for n in range(5)
        ]
    )
    areas = Area.objects.bulk_create(
        [Area(edition=edition, code=f"a{n}", name=f"Area {n}", section="3", position=n) for n in range(5)]
    )
    requirements = Requirement.objects.bulk_create(
        [
            Requirement(
                edition=edition,
                ref=f"{n // 100 + 1}.{n % 100}",
                paragraph=f"{n // 100 + 1}",
                section="S",
                text=f"Synthetic requirement {n}. " * 6,
                position=n,
            )
            for n in range(size)
        ]
    )
    Requirement.threats.through.objects.bulk_create(
        [
            Requirement.threats.through(requirement_id=r.id, threat_id=threats[i % 5].id)
            for i, r in enumerate(requirements)
        ]
    )
    Requirement.areas.through.objects.bulk_create(
        [
            Requirement.areas.through(requirement_id=r.id, area_id=areas[(i // 5) % 5].id)
            for i, r in enumerate(requirements)
        ]
    )
    return edition


def report(label: str, times: list[float], cpu: list[float], queries: list[int], note: str) -> None:
    print(
        f"  {label:<18} n={len(times):<4} p50 {statistics.median(times):7.1f} ms   "
        f"p95 {percentile(times, 0.95):7.1f} ms   (web process CPU p50 {statistics.median(cpu):6.1f} ms)   "
        f"queries {max(queries)}   {note}"
    )


def api_figures(repeat: int) -> None:
    edition = synthetic_edition()
    # Building the edition leaves ~140,000 objects in reference cycles (the bulk-created model
    # instances); collected here, not by a full collection of ~230 ms inside a timed create.
    gc.collect()
    requirements = edition.requirements.count()
    staff = client_for("staff-west-midlands")
    print(f"\nSynthetic edition: {requirements} requirements (created in the copy; dropped with it)")

    # One warm-up create first, untimed, as every page gets one warm-up request: the first request a
    # process serves on a new client pays once-per-process costs (importing the URL conf and the
    # views, whitenoise's scan of the static files), some 200 ms, which a web worker pays at start-up.
    created, times, cpu, queries = [], [], [], []
    for number in range(max(5, repeat // 10) + 1):
        period = f"{2030 + number}/{(2031 + number) % 100:02d}"
        body = {"edition": SYNTHETIC, "period": period}
        response, elapsed, used, count = timed(
            staff, "post", "/api/v1/assessments/", data=body, content_type="application/json"
        )
        if response.status_code != 201:
            raise SystemExit(f"create answered {response.status_code}: {response.content[:300]}")
        created.append(response.json()["id"])
        if number:
            times.append(elapsed), cpu.append(used), queries.append(count)
    report("create assessment", times, cpu, queries, "(target < 300 ms; after one untimed warm-up)")

    times, cpu, queries = [], [], []
    for _ in range(repeat):
        url = f"/api/v1/responses/?assessment={created[0]}&page_size=2000"
        total = [0.0, 0.0, 0]
        pages = listed = 0
        while url:
            response, elapsed, used, count = timed(staff, "get", url)
            body = response.json()
            total = [total[0] + elapsed, total[1] + used, total[2] + count]
            listed += len(body["results"])
            pages += 1
            url = body["next"]
        times.append(total[0]), cpu.append(total[1]), queries.append(total[2])
    report(
        "list all responses",
        times,
        cpu,
        queries,
        f"for {pages} page(s) of up to 2,000 ({listed} responses)   (target < 100 ms, <= 10 queries)",
    )

    ids = list(Assessment.objects.get(pk=created[0]).responses.order_by("id").values_list("id", flat=True))
    times, cpu, queries = [], [], []
    for response_id in ids[:repeat]:
        response, elapsed, used, count = timed(
            staff,
            "patch",
            f"/api/v1/responses/{response_id}/",
            data={"judgement": "assured", "narrative": "Tested in March."},
            content_type="application/json",
            HTTP_IF_MATCH='"1"',
        )
        if response.status_code != 200:
            raise SystemExit(f"save answered {response.status_code}: {response.content[:300]}")
        times.append(elapsed), cpu.append(used), queries.append(count)
    report("save one response", times, cpu, queries, "(target < 30 ms)")


def measure_here(args) -> None:
    """The child's part: measure on the database named by --database-name, in this fresh process, and
    write the pages' samples to --results-file as JSON (or, with --api, time the synthetic edition)."""
    import json

    if args.database_name:
        connections.close_all()
        connection.settings_dict["NAME"] = args.database_name
    settle()
    if args.api:
        api_figures(args.requests)
        return
    Path(args.results_file).write_text(json.dumps(page_set(args.requests)))


def measure_in_child(database_name: str, repeat: int, *, api: bool = False) -> dict[str, dict]:
    """Measure the pages (or, with `api`, the synthetic edition's API calls) in a new Python process,
    as a web worker that never seeded anything would serve them: the seeding process carries tens of
    thousands of objects from the 4x step, which made its own 4x figures look 20-40% slower
    than the same requests in a fresh process on the same database. Every child gets the same hash
    seed, so no size is favoured by how its process happened to lay out its dictionaries."""
    import json
    import subprocess

    with tempfile.NamedTemporaryFile(suffix=".json") as results:
        command = [sys.executable, __file__, "--measure", "--requests", str(repeat), "--results-file", results.name]
        command += ["--database-name", database_name] + (["--api"] if api else [])
        connections.close_all()  # a PostgreSQL template copy needs no other session; the child opens its own
        subprocess.run(command, check=True, env={**os.environ, "PYTHONHASHSEED": "0"})
        return {} if api else json.loads(Path(results.name).read_text())


def pooled(runs: list[dict[str, dict]]) -> dict[str, dict]:
    """The samples of several runs of the same pages, page by page."""
    return {
        label: {key: [value for run in runs for value in run[label][key]] for key in runs[0][label]}
        for label in runs[0]
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=200, help="requests per page and figure (at least 50)")
    parser.add_argument("--skip-4x", action="store_true", help="only the 1x figures")
    parser.add_argument("--create-database", action="store_true", help="create the PostgreSQL database and stop")
    # Internal: bench/run.py runs itself with these to measure each size in a fresh process.
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--api", action="store_true", help=argparse.SUPPRESS)  # the synthetic edition only
    parser.add_argument("--database-name", help=argparse.SUPPRESS)
    parser.add_argument("--results-file", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.create_database:
        create_database()
        return
    args.requests = repeat = max(50, args.requests)
    settings.DEBUG = False  # as in production: no debug templates, no query log outside the capture
    if args.measure:
        measure_here(args)
        return

    if (
        not Assessment.objects.filter(period=PERIODS[0]).exists()
        or not get_user_model().objects.filter(username="chief-avon-and-somerset").exists()
    ):
        raise SystemExit("No national data: run `manage.py seed_demo --scale national` first (see bench/README.md)")

    print(f"Database: {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"1x data: {data_size()}", flush=True)
    if args.skip_4x:
        for label, samples in measure_in_child(connection.settings_dict["NAME"], repeat).items():
            summarise(label, samples)
        return

    from demo.national import national_seed

    original = connection.settings_dict["NAME"]
    vendor, copy = copy_database()
    try:
        started = time.perf_counter()
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            national_seed(periods=EXTRA_PERIODS + PERIODS)
        with connection.cursor() as cursor:
            # What autovacuum would do next, done now rather than while the 4x pages are measured.
            cursor.execute("VACUUM ANALYZE" if vendor == "postgresql" else "ANALYZE")
        print(
            f"4x data ({len(EXTRA_PERIODS) + len(PERIODS)} periods instead of {len(PERIODS)}; seeded in "
            f"{time.perf_counter() - started:.0f} s): {data_size()}",
            flush=True,
        )
        # Both sizes are measured twice, in the order 1x, 4x, 4x, 1x, each time in a fresh process
        # with half the requests, and their samples pooled: a machine that slows down or speeds up
        # during the run then weighs on both sizes alike.
        half = (repeat + 1) // 2
        order = [original, copy, copy, original]
        runs = [measure_in_child(name, half) for name in order]
        print(f"\n1x ({original}):")
        one = {label: summarise(label, samples) for label, samples in pooled([runs[0], runs[3]]).items()}
        print(f"\n4x ({copy}):")
        four = {label: summarise(label, samples) for label, samples in pooled([runs[1], runs[2]]).items()}
        print("\nRatio 4x / 1x (p95), target <= 1.3, and p95 against its target:")
        for label, result in four.items():
            ratio = result["p95"] / one[label]["p95"]
            print(
                f"  {label:<18} {ratio:5.2f}x   p95 {result['p95']:.1f} ms (target < {TARGETS[label]} ms)   "
                f"queries {one[label]['queries']} -> {result['queries']}"
            )
        sys.stdout.flush()
        measure_in_child(copy, repeat, api=True)
    finally:
        drop_copy(vendor, copy, original)
    print("\nThe copy (extra periods and the synthetic edition) has been dropped.")


if __name__ == "__main__":
    main()
