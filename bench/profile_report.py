"""Where one PDF report's time goes, stage by stage, on the bench database. Prints figures only.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/spr_bench_reports DEBUG=true
    .venv/bin/python bench/profile_report.py                     # stages: CPU and wall, median of --runs
    .venv/bin/python bench/profile_report.py --profile --top 40  # plus cProfile over the same renders
    .venv/bin/python bench/profile_report.py --kind national

Needs national-scale data (`manage.py seed_demo --scale national`, see README.md). The report is built
as report_render builds it (report_prepare, render_to_string, core.pdf.render_pdf), without a job
row or a file. Stages: prepare (database and context), template (Django), html (WeasyPrint parses the
HTML), render (stylesheets, cascade, layout, pagination: `HTML.render`), pdf (drawing, fonts, tags
and PDF objects: `Document.write_pdf`). CPU is `time.process_time`, which leaves out the time spent
waiting for a busy machine's CPU. One warm-up render comes first, as in a long-lived worker, and the
garbage collector is set as in a worker child (spr/celery.py).
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import os
import pstats
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spr.settings")
# Quiet logs: every client the benchmark signs in would log a sign-in line (axes) among the figures.
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("DEBUG", "true")
# The benchmark databases keep their own audit checkpoints, apart from the app's (core/checkpoints.py).
os.environ.setdefault("SPR_AUDIT_CHECKPOINT_DIR", str(Path(__file__).resolve().parent.parent / "var" / "bench-audit"))

import django  # noqa: E402

django.setup()

import weasyprint  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from weasyprint.document import Document  # noqa: E402

from core.pdf import render_pdf  # noqa: E402
from reports.models import ReportJob  # noqa: E402
from reports.services import report_prepare  # noqa: E402

STAGES = ("prepare", "template", "html", "render", "pdf")
_timings: dict[str, list[tuple[float, float]]] = defaultdict(list)


def _timed(stage: str, function):
    def wrapper(*args, **kwargs):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            _timings[stage].append((time.process_time() - cpu, time.perf_counter() - wall))

    return wrapper


weasyprint.HTML.__init__ = _timed("html", weasyprint.HTML.__init__)
weasyprint.HTML.render = _timed("render", weasyprint.HTML.render)
Document.write_pdf = _timed("pdf", Document.write_pdf)


def _bench_module():
    # bench/reports.py shares its name with the reports app, so load it under another one.
    spec = importlib.util.spec_from_file_location("bench_reports", BASE / "bench" / "reports.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(job: ReportJob) -> int:
    prepared = _timed("prepare", report_prepare)(job)
    html = _timed("template", render_to_string)(prepared.template, prepared.context)
    return render_pdf(html, title=prepared.title, identifier=prepared.identifier).pages


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kind", choices=("accountability", "national"), default="accountability")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the measured renders")
    parser.add_argument("--sort", default="cumulative", help="a pstats sort key (cumulative, tottime, ...)")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()

    found = _bench_module().national_subject()
    if found is None:
        raise SystemExit("No national-scale data here: run `manage.py seed_demo --scale national` first")
    edition, period, assessment_ids = found
    # An unsaved job: report_prepare reads only its kind and subject.
    if args.kind == "accountability":
        job = ReportJob(kind="accountability", assessment_id=assessment_ids[0])
    else:
        job = ReportJob(kind="national", edition=edition, period=period)

    # The state a worker child renders in (spr/celery.py): start-up objects frozen out of the garbage
    # collector, its thresholds raised.
    from spr.celery import tune_worker_gc

    tune_worker_gc()
    pages = build(job)
    _timings.clear()
    profiler = cProfile.Profile() if args.profile else None
    totals = []
    for _ in range(args.runs):
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        build(job)
        if profiler:
            profiler.disable()
        totals.append((time.process_time() - cpu, time.perf_counter() - wall))

    print(f"{args.kind} report, {pages} pages, median of {args.runs} runs{' (under cProfile)' if profiler else ''}:")
    print(f"  {'stage':<10}{'CPU s':>8}{'wall s':>8}")
    for stage, runs in [*((stage, _timings[stage]) for stage in STAGES), ("total", totals)]:
        cpu, wall = statistics.median(c for c, _ in runs), statistics.median(w for _, w in runs)
        print(f"  {stage:<10}{cpu:>8.3f}{wall:>8.3f}")
    if profiler:
        pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
