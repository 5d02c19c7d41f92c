"""Report pages: ask for a PDF, watch it being built, download it.

Jobs are found through reports.selectors (another force's job is a 404) and requested through
reports.services (which checks the user may see the subject). The status page works without
JavaScript (a "Refresh" link); with it, htmx polls the status partial until the job finishes.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.forms.govuk import add_service_errors
from reports import selectors, services
from reports.downloads import report_file_response
from reports.forms import ReportRequestForm
from reports.permissions import can_request_national

PAGE_SIZE = 50


@require_GET
@login_required
def report_list_view(request):
    paginator = Paginator(selectors.report_job_list(user=request.user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [{"job": job, "subject": selectors.job_subject(job)} for job in page.object_list]
    return render(
        request,
        "reports/list.html",
        {"page": page, "rows": rows, "can_request_national": can_request_national(request.user)},
    )


@require_http_methods(["GET", "POST"])
@login_required
def report_create_view(request):
    """GET: the national overview form (for national roles) and how to get an assessment's PDF.
    POST: request a report, then go to its status page."""
    form = ReportRequestForm(request.POST if request.method == "POST" else None, initial={"kind": "national"})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            job, _created = services.report_request(
                user=request.user,
                kind=data["kind"],
                assessment=data.get("assessment"),
                edition=data.get("edition"),
                period=data.get("period"),
                region=data.get("region"),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("reports:detail", pk=job.pk)
    status = 400 if form.is_bound and form.errors else 200
    return render(
        request,
        "reports/new.html",
        {"form": form, "can_request_national": can_request_national(request.user)},
        status=status,
    )


def _status_context(job) -> dict:
    return {"job": job, "subject": selectors.job_subject(job), "message": selectors.job_message(job)}


@never_cache
@require_GET
@login_required
def report_detail_view(request, pk: int):
    job = selectors.report_job_get(user=request.user, pk=pk)
    return render(request, "reports/detail.html", _status_context(job))


@never_cache
@require_GET
@login_required
def report_status_view(request, pk: int):
    """The status panel alone, for htmx polling."""
    job = selectors.report_job_get(user=request.user, pk=pk)
    return render(request, "reports/_status.html", _status_context(job))


@require_GET
@login_required
def report_download_view(request, pk: int):
    job = selectors.report_job_get(user=request.user, pk=pk)
    return report_file_response(job)
