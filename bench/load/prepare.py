"""The load test's plan: who the simulated people are and what they work on (run by bench/load/run.py).

It signs each simulated person in the way the service's own session middleware would (a real
session row per person, made with Django's test client `force_login`, so the password hasher is not
what the load measures) and writes, per force, the accounts' cookies, the draft being edited, its
response ids and a published assessment whose PDF may be asked for. Output: JSON on stdout.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "spr.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from assessments.models import Assessment, AssessmentStatus, Response  # noqa: E402
from forces.models import Force  # noqa: E402

STAFF_SESSIONS_PER_FORCE = 8
CHIEF_SESSIONS_PER_FORCE = 2
INSPECTOR_SESSIONS = 40


def sessions_for(user, count: int) -> list[str]:
    keys = []
    for _ in range(count):
        client = Client()
        client.force_login(user)
        keys.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    return keys


def main() -> None:
    User = get_user_model()
    users = {user.username: user for user in User.objects.filter(username__regex=r"^(staff|chief)-|^inspector$")}
    plan = {"session_cookie": settings.SESSION_COOKIE_NAME, "csrf_cookie": settings.CSRF_COOKIE_NAME, "forces": []}
    assessments = Assessment.objects.select_related("force").order_by("force__code", "-period", "-revision")
    latest: dict[int, Assessment] = {}
    published: dict[int, Assessment] = {}
    for assessment in assessments:
        latest.setdefault(assessment.force_id, assessment)
        if assessment.status == AssessmentStatus.PUBLISHED:
            published.setdefault(assessment.force_id, assessment)
    for force in Force.objects.order_by("code"):
        staff, chief = users.get(f"staff-{force.code}"), users.get(f"chief-{force.code}")
        current = latest.get(force.id)
        if staff is None or chief is None or current is None:
            continue
        editable = current.status == AssessmentStatus.DRAFT
        responses = list(
            Response.objects.filter(assessment=current)
            .order_by("requirement__position")
            .values_list("id", "requirement__ref")
        )
        plan["forces"].append(
            {
                "code": force.code,
                "assessment": current.pk,
                "editable": editable,
                "responses": [{"id": pk, "ref": ref} for pk, ref in responses],
                "published": published[force.id].pk if force.id in published else None,
                "staff": sessions_for(staff, STAFF_SESSIONS_PER_FORCE),
                "chief": sessions_for(chief, CHIEF_SESSIONS_PER_FORCE),
            }
        )
    plan["inspector"] = sessions_for(users["inspector"], INSPECTOR_SESSIONS)
    plan["csrf"] = get_random_string(32)  # a CSRF secret, sent as both cookie and header
    json.dump(plan, sys.stdout)


if __name__ == "__main__":
    main()
