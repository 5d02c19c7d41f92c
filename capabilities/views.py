"""Pages for reading SPR editions: the list, one edition (threats, areas, matrix) and one requirement."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from capabilities.models import Requirement
from capabilities.permissions import can_manage_editions
from capabilities.selectors import requirement_get, requirement_list, requirement_matrix
from threats.models import Edition
from threats.selectors import edition_get, edition_list


@require_GET
@login_required
def edition_list_view(request):
    return render(
        request,
        "threats/edition_list.html",
        {"editions": edition_list(user=request.user), "can_manage_editions": can_manage_editions(request.user)},
    )


@require_GET
@login_required
def edition_detail_view(request, code: str):
    try:
        edition = edition_get(user=request.user, code=code)
    except Edition.DoesNotExist:
        raise Http404("No such edition") from None
    threats = list(edition.threats.all())
    areas = list(edition.areas.all())
    requirements = list(requirement_list(edition=edition))
    return render(
        request,
        "threats/edition_detail.html",
        {
            "edition": edition,
            "threats": threats,
            "areas": areas,
            "judgement_levels": list(edition.judgement_levels.all()),
            "requirements": requirements,
            "matrix": requirement_matrix(threats=threats, areas=areas, requirements=requirements),
        },
    )


@require_GET
@login_required
def requirement_detail_view(request, code: str, ref: str):
    try:
        requirement = requirement_get(user=request.user, edition_code=code, ref=ref)
    except Requirement.DoesNotExist:
        raise Http404("No such requirement") from None
    return render(
        request,
        "threats/requirement_detail.html",
        {"edition": requirement.edition, "requirement": requirement},
    )
