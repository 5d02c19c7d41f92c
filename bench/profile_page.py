"""Where one page's time goes: cProfile over repeated requests, as one user, on the bench database.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/spr_bench_dashboards DEBUG=true
    .venv/bin/python bench/profile_page.py /national/ --as inspector
    .venv/bin/python bench/profile_page.py /assessments/7/ --as staff-avon-and-somerset --sort tottime --top 40

Requests go through django.test.Client in-process with DEBUG off, as in bench/run.py. It prints the
mean wall time and query count, then the profile's top functions. It asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
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

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url")
    parser.add_argument("--as", dest="username", required=True, help="the account to sign in as")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--sort", default="cumulative", help="a pstats sort key (cumulative, tottime, ...)")
    parser.add_argument("--top", type=int, default=35)
    args = parser.parse_args()

    settings.DEBUG = False
    client = Client()
    client.force_login(get_user_model().objects.get(username=args.username))
    first = client.get(args.url)
    if first.status_code >= 400:
        raise SystemExit(f"{args.url} answered {first.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(args.url)
    started = time.perf_counter()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(args.requests):
        client.get(args.url)
    profiler.disable()
    mean = (time.perf_counter() - started) * 1000 / args.requests
    print(
        f"{args.url} as {args.username}: {mean:.1f} ms a request under the profiler, "
        f"{len(captured.captured_queries)} queries, {len(first.content):,} bytes"
    )
    pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)


if __name__ == "__main__":
    main()
