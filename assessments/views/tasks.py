"""The "My tasks" page: what is assigned to the signed-in person across their forces (requirements,
actions, evidence reviews, challenges), soonest due first, each linking to the page where it is
done. The API twin (`GET /api/v1/my-tasks/`) reads the same selector."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from assessments import selectors


@require_GET
@login_required
def my_tasks_view(request):
    tasks = selectors.my_tasks(user=request.user)
    return render(
        request,
        "assessments/my_tasks.html",
        {"tasks": tasks, "overdue": sum(task.overdue for task in tasks), "review_days": selectors.REVIEW_SOON_DAYS},
    )
