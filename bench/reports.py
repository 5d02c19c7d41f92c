"""Benchmark of PDF reports: prints figures, asserts nothing.

    .venv/bin/python bench/reports.py [--runs 5] [--batch-runs 1] [--only-one]

Measures, on national-scale data:
- one PCC accountability report, rendered in this process (median of --runs);
- the national overview (median of --runs);
- all 46 forces' accountability reports through real Celery workers (prefork), with one and with two
  worker processes, wall time from dispatch to the last job done, and the speed-up.
Targets (from issue 18): one report <= 1.5 s for 29 pages (0.05 s a page), national < 10 s, two workers
>= 1.8x one. Each batch also prints the CPU seconds its workers used, and the whole machine's, so a
busy machine can be told apart from workers that do not scale.

Data: the configured database if it holds national-scale data (`manage.py seed_demo --scale national`:
at least 40 forces with a published assessment for one edition and period). Otherwise the script
re-runs itself on its own SQLite file, var/bench-reports.sqlite3, and fills it once with a published
assessment per force built through the services (as tests/reports/support.py does). Bench workers use
their own broker folder and reports folder under var/, so a `make run` worker never takes their jobs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spr.settings")
os.environ.setdefault("DEBUG", "true")
# The benchmark databases keep their own audit checkpoints, apart from the app's (core/checkpoints.py).
os.environ.setdefault("SPR_AUDIT_CHECKPOINT_DIR", str(Path(__file__).resolve().parent.parent / "var" / "bench-audit"))
BENCH_DB = BASE_DIR / "var" / "bench-reports.sqlite3"
os.environ.setdefault("SPR_REPORTS_ROOT", str(BASE_DIR / "var" / "bench-reports"))
os.environ.setdefault("SPR_BROKER_DIR", str(BASE_DIR / "var" / "broker-bench"))
MIN_FORCES = 40


def _period() -> str:
    """The last period before today's, which the national demo seed mostly publishes."""
    from core.periods import current_period, previous_period

    return previous_period(current_period())


def _setup():
    import django

    django.setup()


def national_subject():
    """(edition, period, [assessment ids]) of the edition and period with most published forces."""
    from django.db.models import Count

    from assessments.models import Assessment, AssessmentStatus

    best = (
        Assessment.objects.filter(status=AssessmentStatus.PUBLISHED)
        .values("edition_id", "period")
        .annotate(forces=Count("force", distinct=True))
        .order_by("-forces", "-period")
        .first()
    )
    if not best or best["forces"] < MIN_FORCES:
        return None
    latest = {}
    for row in (
        Assessment.objects.filter(
            status=AssessmentStatus.PUBLISHED, edition_id=best["edition_id"], period=best["period"]
        )
        .order_by("force_id", "-revision")
        .values("force_id", "id")
    ):
        latest.setdefault(row["force_id"], row["id"])
    from threats.models import Edition

    return Edition.objects.get(pk=best["edition_id"]), best["period"], list(latest.values())


def generate() -> None:
    """Migrate the bench database and give every force a published assessment (a few minutes, once)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("load_forces", verbosity=0)
    call_command("load_editions", verbosity=0)
    from core.roles import Role, grant
    from forces.models import Force, Membership
    from tests.reports.support import rich_assessment
    from threats.models import Edition

    edition = Edition.objects.get(code="spr-2012")
    users = get_user_model().objects
    forces = list(Force.objects.order_by("name"))
    started = time.monotonic()
    for number, force in enumerate(forces, start=1):
        if force.assessments.filter(edition=edition, period=_period(), status="published").exists():
            continue
        people = {}
        for role in (Role.PCC_STAFF, Role.CHIEF_CONSTABLE, Role.PCC):
            user, created = users.get_or_create(username=f"bench-{role.slug}-{force.code}")
            if created:
                grant(user, role)
                Membership.objects.create(user=user, force=force)
            people[role] = user
        rich_assessment(
            "published",
            force=force,
            edition=edition,
            period=_period(),
            staff=people[Role.PCC_STAFF],
            chief=people[Role.CHIEF_CONSTABLE],
            pcc=people[Role.PCC],
        )
        print(f"  generated {number}/{len(forces)}: {force.name}", flush=True)
    print(f"Generated in {time.monotonic() - started:.0f} s")


def _user(role):
    from django.contrib.auth import get_user_model

    from core.roles import grant

    user, created = get_user_model().objects.get_or_create(username=f"bench-reports-{role.slug}")
    if created:
        grant(user, role)
    return user


def _fresh_job(kind: str, requested_by, **subject):
    """A job row of its own (a unique input hash), so nothing is served from an earlier run."""
    import uuid

    from reports.models import ReportJob

    return ReportJob.objects.create(kind=kind, requested_by=requested_by, input_hash=uuid.uuid4().hex * 2, **subject)


def time_in_process(make_job, runs: int) -> tuple[float, float, int]:
    """(median wall time, median CPU time of this process, pages). CPU time leaves out the database
    server and any wait for a CPU, so it stays meaningful on a busy machine."""
    from reports.models import ReportJob
    from reports.services import report_render

    # One render first: fonts and WeasyPrint's caches warm up once per worker process too.
    report_render(job_id=make_job().pk, worker="bench")
    times, cpu_times, pages = [], [], 0
    for _ in range(runs):
        job = make_job()
        started, cpu = time.monotonic(), time.process_time()
        outcome = report_render(job_id=job.pk, worker="bench")
        times.append(time.monotonic() - started)
        cpu_times.append(time.process_time() - cpu)
        assert outcome == "done", outcome
        pages = ReportJob.objects.get(pk=job.pk).pages
    return statistics.median(times), statistics.median(cpu_times), pages


def start_workers(processes: int, log: Path):
    from django.conf import settings
    from django.db import connection

    env = dict(os.environ)
    if connection.vendor == "sqlite":
        env["DATABASE_URL"] = f"sqlite:///{connection.settings_dict['NAME']}"
    env["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL
    celery = Path(sys.executable).with_name("celery")
    handle = log.open("wb")
    process = subprocess.Popen(
        [
            str(celery),
            "-A",
            "spr",
            "worker",
            "--pool=prefork",
            f"--concurrency={processes}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-n",
            f"bench-{processes}@%h",
        ],
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        cwd=BASE_DIR,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and b"ready." not in log.read_bytes():
        if process.poll() is not None:
            raise SystemExit(f"The bench worker exited at start; see {log}")
        time.sleep(0.2)
    return process


def stop_workers(process) -> None:
    import signal

    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def _group_cpu(pgid: int) -> float:
    """CPU seconds (user + system) of the processes in one process group, children they reaped
    included: the Celery worker started by start_workers (its own session) and its pool."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name (field 2) may hold spaces; the fields after it do not.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended while we looked
        if int(fields[2]) == pgid:
            total += sum(int(value) for value in fields[11:15])  # utime stime cutime cstime
    return total / tick


def _machine_busy() -> float:
    """CPU seconds every core of this machine spent on anything but idling, since it started."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle, iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def time_batch(assessment_ids: list[int], requested_by, processes: int) -> tuple[float, float, float]:
    from reports.models import JobStatus, ReportJob
    from reports.services import report_dispatch

    log = Path(os.environ["SPR_REPORTS_ROOT"]) / f"worker-{processes}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    worker = start_workers(processes, log)
    try:
        warm = [_fresh_job("accountability", requested_by, assessment_id=aid) for aid in assessment_ids[:processes]]
        for job in warm:
            report_dispatch(job_id=job.pk)
        _wait([job.pk for job in warm], timeout=120)
        jobs = [_fresh_job("accountability", requested_by, assessment_id=aid) for aid in assessment_ids]
        started, workers_cpu, machine_cpu = time.monotonic(), _group_cpu(worker.pid), _machine_busy()
        for job in jobs:
            report_dispatch(job_id=job.pk)
        _wait([job.pk for job in jobs], timeout=900)
        elapsed = time.monotonic() - started
        workers_cpu, machine_cpu = _group_cpu(worker.pid) - workers_cpu, _machine_busy() - machine_cpu
        failed = ReportJob.objects.filter(pk__in=[j.pk for j in jobs], status=JobStatus.FAILED).count()
        if failed:
            print(f"  warning: {failed} jobs failed; see {log}")
        return elapsed, workers_cpu, machine_cpu
    finally:
        stop_workers(worker)


def _wait(ids: list[int], timeout: float) -> None:
    from reports.models import JobStatus, ReportJob

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not ReportJob.objects.filter(pk__in=ids).exclude(status__in=[JobStatus.DONE, JobStatus.FAILED]).exists():
            return
        time.sleep(0.1)
    raise SystemExit(f"Timed out waiting for {len(ids)} report jobs")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="renders per in-process median (default 5)")
    parser.add_argument(
        "--batch-runs", type=int, default=1, help="runs of the 46-report batch per worker count (0 skips it)"
    )
    parser.add_argument(
        "--only-one", action="store_true", help="time the one accountability report only (no national, no batch)"
    )
    args = parser.parse_args()
    _setup()
    subject = None
    try:
        subject = national_subject()
    except Exception:  # noqa: BLE001 — an empty or unmigrated database has no national-scale data either
        subject = None
    if subject is None:
        if os.environ.get("SPR_BENCH_GENERATED") != "1":
            print(f"No national-scale data in the configured database; using {BENCH_DB}")
            env = dict(os.environ, DATABASE_URL=f"sqlite:///{BENCH_DB}", SPR_BENCH_GENERATED="1")
            os.execve(sys.executable, [sys.executable, __file__, *sys.argv[1:]], env)  # noqa: S606 (our own script)
        generate()
        subject = national_subject()
    edition, period, assessment_ids = subject
    from django.db import connection

    from core.roles import Role

    inspector = _user(Role.INSPECTOR)
    cores = os.cpu_count()
    # Measure in the state a worker child renders in: WeasyPrint loaded, start-up objects frozen out of
    # the garbage collector and its thresholds raised (spr/celery.py).
    from core.pdf import preload
    from spr.celery import tune_worker_gc

    preload()
    tune_worker_gc()
    print(
        f"Data: {len(assessment_ids)} forces with a published {edition.code} assessment for {period} "
        f"({connection.vendor}); {cores} CPU cores; load average {os.getloadavg()[0]:.1f}"
    )

    one, cpu, pages = time_in_process(
        lambda: _fresh_job("accountability", inspector, assessment_id=assessment_ids[0]), args.runs
    )
    print(
        f"One accountability report ({pages} pages), median of {args.runs}: {one:.2f} s, CPU {cpu:.2f} s, "
        f"{cpu / pages:.3f} s a page   (target <= 1.5 s for 29 pages, 0.05 s a page)"
    )
    if args.only_one:
        return
    national, cpu, pages = time_in_process(
        lambda: _fresh_job("national", inspector, edition=edition, period=period), args.runs
    )
    print(
        f"National overview ({pages} pages), median of {args.runs}: {national:.2f} s, CPU {cpu:.2f} s   (target < 10 s)"
    )

    if args.batch_runs < 1:
        return
    results, cpu_a_report = {}, {}
    count = len(assessment_ids)
    for processes in (1, 2):
        runs = [time_batch(assessment_ids, inspector, processes) for _ in range(args.batch_runs)]
        results[processes], workers_cpu, machine_cpu = (statistics.median(run[i] for run in runs) for i in range(3))
        cpu_a_report[processes] = workers_cpu / count
        # What the machine did besides the workers (the database, Redis, this script, anything else
        # running) is what two workers compete with for the cores, and what makes the speed-up short of 2.
        print(
            f"All {count} forces' reports, {processes} worker process{'es' if processes > 1 else ''}: "
            f"{results[processes]:.1f} s ({results[processes] / count:.2f} s a report); workers' CPU "
            f"{workers_cpu:.1f} s ({cpu_a_report[processes]:.2f} s a report), whole machine busy {machine_cpu:.1f} "
            f"of {results[processes] * cores:.1f} CPU s"
        )
    print(
        f"Speed-up with two worker processes: {results[1] / results[2]:.2f}x   (target >= 1.8x); "
        f"CPU a report with two against one: {cpu_a_report[2] / cpu_a_report[1]:.2f}x"
    )


if __name__ == "__main__":
    main()
