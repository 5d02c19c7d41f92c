"""Responses as the API and the response page read them: the list as objects or as rows of values,
the ids of their evidence, the responses a PATCH changes and one response by its requirement's ref."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from assessments.models import (
    Evidence,
    Response,
)
from assessments.records import RESPONSE_ROW_FIELDS


def response_list(*, user) -> QuerySet[Response]:
    """Responses of every assessment the user may see, in force, assessment and edition order, with
    what the API shows of each (requirement, judgement, editor, evidence ids) fetched up front."""
    return (
        Response.objects.visible_to(user)
        .select_related("requirement", "judgement", "updated_by", "updated_by__profile", "owner", "owner__profile")
        # The API shows a requirement's ref and paragraph, not its text: leave the long columns behind.
        .defer("requirement__text", "requirement__lead_in", "requirement__group_heading", "judgement__description")
        .prefetch_related(_evidence_ids())
        .order_by("assessment_id", "requirement__position", "id")
    )


def _evidence_ids() -> Prefetch:
    return Prefetch("evidence", queryset=Evidence.objects.only("id").order_by("id"))


def response_prefetch_evidence(*, responses: list[Response]) -> None:
    """Give responses already in memory (such as the one a service just saved) their evidence as
    `response_list` fetches it, for the API's answer (one query)."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects(responses, _evidence_ids())


def response_to_change(*, user) -> QuerySet[Response]:
    """Responses the user may see, with their assessment (whose force decides who may change them):
    what a PATCH reads before the service locks the row and reads it again."""
    return Response.objects.visible_to(user).select_related("assessment")


def response_list_rows(*, user) -> QuerySet[dict]:
    """`response_list` as dicts of RESPONSE_ROW_FIELDS (what `records.response_from_row` reads), same
    rows, same order; evidence ids come from `response_evidence_ids`. For reading whole assessments:
    1,209 responses as objects cost about a quarter of a second of CPU."""
    return (
        Response.objects.visible_to(user)
        .order_by("assessment_id", "requirement__position", "id")
        .values(*RESPONSE_ROW_FIELDS)
    )


def response_evidence_ids(*, response_ids: list[int]) -> dict[int, list[int]]:
    """The ids of the evidence linked to each of these responses, in id order (one query).

    An assessment's responses are created together, so a page of them has ids close to contiguous:
    then the links are read as a range of response ids (two parameters, one index range scan) rather
    than a list of up to 2,000, and links of responses not asked for are left out here. Scattered ids
    are listed."""
    linked = {response_id: [] for response_id in response_ids}
    if not linked:
        return linked
    links = Response.evidence.through.objects.order_by("evidence_id")
    low, high = min(linked), max(linked)
    if high - low + 1 <= 2 * len(linked):
        links = links.filter(response_id__gte=low, response_id__lte=high)
    else:
        links = links.filter(response_id__in=list(linked))
    for response_id, evidence_id in links.values_list("response_id", "evidence_id"):
        if response_id in linked:
            linked[response_id].append(evidence_id)
    return linked


def response_get(*, user, assessment_pk, ref: str) -> Response:
    return get_object_or_404(
        Response.objects.visible_to(user)
        .select_related(
            "assessment",
            "assessment__force",
            "assessment__edition",
            "requirement",
            "judgement",
            "updated_by",
            "updated_by__profile",
            "owner",
            "owner__profile",
        )
        .prefetch_related("evidence", "requirement__areas", "requirement__threats"),
        assessment_id=assessment_pk,
        requirement__ref=ref,
    )
