"""Where the synthetic edition's three API calls spend their time: cProfile of each, on a copy.

    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/spr_bench_dashboards DEBUG=true
    .venv/bin/python bench/profile_api.py                      # create, list and save, 10 of each
    .venv/bin/python bench/profile_api.py --only save --sort tottime --top 50
    .venv/bin/python bench/profile_api.py --no-profile --requests 30   # timings only

Like bench/run.py's 4x step it copies the bench database (without the nine extra periods), creates
the 1,209-requirement edition in the copy and, as `staff-west-midlands`, measures through
django.test.Client with DEBUG off: POST /api/v1/assessments/, GET every page of
/api/v1/responses/?assessment=<id>&page_size=2000, PATCH /api/v1/responses/<id>/ with If-Match.
For each it prints p50 wall and web-process CPU time and the query count, then (unless
--no-profile) a profile of further calls. The copy is dropped at the end. It asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from run import (  # noqa: E402  (run.py sets Django up)
    SYNTHETIC,
    client_for,
    copy_database,
    drop_copy,
    synthetic_edition,
    timed,
)

from assessments.models import Assessment  # noqa: E402


class Calls:
    """The three calls, each returning (response, wall ms, CPU ms, queries) summed over its pages."""

    def __init__(self):
        self.client = client_for("staff-west-midlands")
        self.periods = (f"{year}/{(year + 1) % 100:02d}" for year in range(2030, 2099))
        self.assessment_id = None
        self.response_ids = None

    def create(self):
        body = {"edition": SYNTHETIC, "period": next(self.periods)}
        result = timed(self.client, "post", "/api/v1/assessments/", data=body, content_type="application/json")
        if result[0].status_code != 201:
            raise SystemExit(f"create answered {result[0].status_code}: {result[0].content[:300]}")
        if self.assessment_id is None:
            self.assessment_id = result[0].json()["id"]
            self.response_ids = iter(
                Assessment.objects.get(pk=self.assessment_id).responses.order_by("id").values_list("id", flat=True)
            )
        return result

    def list(self):
        url = f"/api/v1/responses/?assessment={self.assessment_id}&page_size=2000"
        total, count = [0.0, 0.0, 0], 0
        while url:
            response, elapsed, used, queries = timed(self.client, "get", url)
            body = response.json()
            count += len(body["results"])
            total = [total[0] + elapsed, total[1] + used, total[2] + queries]
            url = body["next"]
        return (response, *total)

    def save(self):
        result = timed(
            self.client,
            "patch",
            f"/api/v1/responses/{next(self.response_ids)}/",
            data={"judgement": "assured", "narrative": "Tested in March."},
            content_type="application/json",
            HTTP_IF_MATCH='"1"',
        )
        if result[0].status_code != 200:
            raise SystemExit(f"save answered {result[0].status_code}: {result[0].content[:300]}")
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["create", "list", "save"], action="append", help="repeatable")
    parser.add_argument("--requests", type=int, default=10, help="timed calls of each (create: at most 20)")
    parser.add_argument("--profiled", type=int, default=10, help="profiled calls of each")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument("--sort", default="cumulative", help="a pstats sort key (cumulative, tottime, ...)")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    settings.DEBUG = False
    wanted = args.only or ["create", "list", "save"]

    original = connection.settings_dict["NAME"]
    vendor, copy = copy_database()
    try:
        synthetic_edition()
        calls = Calls()
        calls.create()  # the assessment the list and the save use; also a warm-up
        calls.list()
        calls.save()
        for name in wanted:
            call = getattr(calls, name)
            repeat = min(args.requests, 20) if name == "create" else args.requests
            times, cpu, queries = [], [], []
            for _ in range(repeat):
                _, elapsed, used, count = call()
                times.append(elapsed), cpu.append(used), queries.append(count)
            print(
                f"{name:<6} n={repeat:<3} wall p50 {statistics.median(times):7.1f} ms   "
                f"CPU p50 {statistics.median(cpu):7.1f} ms   queries {max(queries)}"
            )
            if args.no_profile:
                continue
            profiler = cProfile.Profile()
            profiler.enable()
            for _ in range(args.profiled):
                call()
            profiler.disable()
            print(f"--- profile of {args.profiled} x {name} ---")
            pstats.Stats(profiler).sort_stats(args.sort).print_stats(args.top)
    finally:
        drop_copy(vendor, copy, original)


if __name__ == "__main__":
    main()
