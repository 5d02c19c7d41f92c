"""The assessment as an Excel workbook: downloading it, and importing one into a draft in two steps —
upload and preview (every row that will change, old and new, and every row refused, with its sheet,
row and reason; nothing written), then confirm, which writes the previewed changes in one go.

The preview carries its changes to the confirm step in a signed token (`workbook.plan_token`), with
the version of each response it read: a response changed in between refuses the whole import (the
409 page says which and what to do), so no one's edit is overwritten unseen.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import selectors, workbook
from assessments.downloads import workbook_file_response
from assessments.forms import add_service_errors
from assessments.views.common import FORM_METHODS, conflict_page, form_status, post_data


def _letter(label):
    return forms.CharField(label=label, required=False, max_length=3)


class WorkbookUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a workbook"),
        help_text=_("An Excel workbook (.xlsx)"),
        error_messages={"required": _("Select a workbook")},
    )
    # A workbook in its own layout (`workbook.column_map`); all left blank: the export's layout.
    sheet = forms.CharField(label=_("Sheet name"), required=False, max_length=31)
    reference_column = _letter(_("Column of the paragraph reference"))
    judgement_column = _letter(_("Column of the judgement"))
    narrative_column = _letter(_("Column of the narrative"))
    evidence_column = _letter(_("Column of the evidence IDs"))


class WorkbookConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


@require_GET
@login_required
def workbook_download_view(request, pk: int):
    return workbook_file_response(selectors.assessment_get(user=request.user, pk=pk))


def _editable(request, pk: int):
    assessment = selectors.assessment_get(user=request.user, pk=pk)
    workbook.require_importable(request.user, assessment)
    return assessment


def _plan(form: WorkbookUploadForm, assessment) -> workbook.ImportPlan | None:
    """The plan of the uploaded workbook, in the layout the form names; None (the form's errors say
    why) when the layout or the file is refused."""
    data = form.cleaned_data
    try:
        mapping = workbook.column_map(sheet=data["sheet"], **{name: data[name] for name in workbook.MAPPING_FIELDS})
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    try:
        return workbook.plan_import(assessment=assessment, upload=data["file"], mapping=mapping)
    except ValidationError as exc:
        add_service_errors(form, ValidationError({"file": exc.messages}))
        return None


@require_http_methods(FORM_METHODS)
@login_required
@conflict_page
def workbook_import_view(request, pk: int):
    """Upload a workbook and see what importing it would do; nothing is written here."""
    assessment = _editable(request, pk)
    form = WorkbookUploadForm(post_data(request), request.FILES if request.method == "POST" else None)
    plan = _plan(form, assessment) if request.method == "POST" and form.is_valid() else None
    if plan is not None:
        return render(
            request,
            "assessments/workbook_preview.html",
            {
                "assessment": assessment,
                "plan": plan,
                "confirm": WorkbookConfirmForm(
                    initial={"token": workbook.plan_token(user=request.user, assessment=assessment, plan=plan)}
                )
                if plan.can_import
                else None,
            },
        )
    return render(
        request,
        "assessments/workbook_import.html",
        {"assessment": assessment, "form": form},
        status=form_status(form),
    )


@require_POST
@login_required
@conflict_page
def workbook_confirm_view(request, pk: int):
    """Write the previewed changes, all or none."""
    assessment = _editable(request, pk)
    form = WorkbookConfirmForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("The preview has expired. Upload the workbook again"))
        changes = workbook.changes_from_token(form.cleaned_data["token"], user=request.user, assessment=assessment)
        count = workbook.workbook_import(user=request.user, assessment=assessment, changes=changes)
    except ValidationError as exc:
        upload = WorkbookUploadForm()
        upload.is_bound = True  # so the page shows the error summary, "Error:" in its title
        upload._errors = forms.utils.ErrorDict({"file": forms.utils.ErrorList(exc.messages)})
        return render(
            request, "assessments/workbook_import.html", {"assessment": assessment, "form": upload}, status=400
        )
    messages.success(
        request,
        ngettext("%(count)s answer imported from the workbook", "%(count)s answers imported from the workbook", count)
        % {"count": count},
    )
    return redirect("assessments:detail", pk=assessment.pk)
