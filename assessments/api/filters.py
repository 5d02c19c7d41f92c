"""Filters for the assessment API. Codes, not ids, for reference data (an unknown code answers 400,
see threats.api.filters); ids for the force's own records.

Every filter narrows a queryset that already starts from `visible_to(user)`: filtering on another
force's assessment id gives an empty list, exactly as a made-up id does.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils import timezone
from django_filters import rest_framework as filters

from assessments.models import (
    OPEN_ACTION_STATUSES,
    Action,
    ActionStatus,
    Assessment,
    AssessmentStatus,
    Challenge,
    ChallengeStatus,
    Departure,
    DepartureStatus,
    Evidence,
    EvidenceKind,
    Response,
    ResponseStatus,
)
from assessments.selectors import response_status_q
from capabilities.models import Area
from core.filters import CodeFilter, IdFilter, StrictBooleanFilter
from forces.models import Force
from threats.api.filters import edition_filter
from threats.models import Threat


def force_filter() -> CodeFilter:
    return CodeFilter("force__code", queryset=Force.objects.all(), noun="force", label="Force code")


def assessment_id_filter() -> IdFilter:
    return IdFilter(
        "assessment_id", label="Assessment id", help_text="The assessment's id; one you cannot see lists nothing."
    )


class OwnerFilter(filters.CharFilter):
    """`me`, or a person's id: the rows that person owns (`field_name` is the owner's id column)."""

    def filter(self, queryset, value):
        if not value:
            return queryset
        return queryset.filter(**{self.field_name: self.parent.request.user.pk if value == "me" else int(value)})


def owner_filter(field_name: str, what: str) -> OwnerFilter:
    return OwnerFilter(
        field_name=field_name,
        validators=[RegexValidator(r"^(me|[1-9][0-9]{0,9})$", "Enter me or a person's id")],
        help_text=f"`me`, or a person's id: {what}.",
    )


class AssessmentFilter(filters.FilterSet):
    force = force_filter()
    edition = edition_filter()
    period = filters.CharFilter(help_text="The financial year, e.g. `2025/26`.")
    status = filters.ChoiceFilter(choices=AssessmentStatus.choices)

    class Meta:
        model = Assessment
        fields = ["force", "edition", "period", "status"]


class ResponseFilter(filters.FilterSet):
    assessment = assessment_id_filter()
    status = filters.ChoiceFilter(
        choices=ResponseStatus.choices, method="filter_status", help_text="The response's task-list status."
    )
    # distinct: a requirement is matched through a many-to-many join.
    area = CodeFilter(
        "requirement__areas__code", queryset=Area.objects.all(), noun="area", label="Area code", distinct=True
    )
    threat = CodeFilter(
        "requirement__threats__code", queryset=Threat.objects.all(), noun="threat", label="Threat code", distinct=True
    )

    owner = owner_filter("owner_id", "the responses they own (the task list's filter by owner)")

    class Meta:
        model = Response
        fields = ["assessment", "status", "area", "threat", "owner"]

    def filter_status(self, queryset, name, value):
        return queryset.filter(response_status_q(value))


class EvidenceFilter(filters.FilterSet):
    force = force_filter()
    kind = filters.ChoiceFilter(choices=EvidenceKind.choices)
    past_review = StrictBooleanFilter(
        method="filter_past_review", help_text="`true` for items whose review date has passed, `false` for the rest."
    )

    class Meta:
        model = Evidence
        fields = ["force", "kind", "past_review"]

    def filter_past_review(self, queryset, name, value):
        past = Q(review_by__lt=timezone.localdate())
        return queryset.filter(past if value else ~past)


class DepartureFilter(filters.FilterSet):
    assessment = assessment_id_filter()
    status = filters.ChoiceFilter(choices=DepartureStatus.choices)

    class Meta:
        model = Departure
        fields = ["assessment", "status"]


class ActionFilter(filters.FilterSet):
    assessment = assessment_id_filter()
    status = filters.ChoiceFilter(choices=ActionStatus.choices)
    overdue = StrictBooleanFilter(
        method="filter_overdue", help_text="`true` for open actions past their due date, `false` for the rest."
    )
    owner_user = owner_filter("owner_user_id", "the actions they own")

    class Meta:
        model = Action
        fields = ["assessment", "status", "overdue", "owner_user"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(status__in=OPEN_ACTION_STATUSES, due_date__lt=timezone.localdate())
        return queryset.filter(overdue if value else ~overdue)


class ChallengeFilter(filters.FilterSet):
    assessment = assessment_id_filter()
    status = filters.ChoiceFilter(choices=ChallengeStatus.choices)

    class Meta:
        model = Challenge
        fields = ["assessment", "status"]
