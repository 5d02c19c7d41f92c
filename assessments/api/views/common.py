"""What every view of the assessment API shares: the documented answers (field errors, 403, 404, 409
and the workflow's refusals), the page parameters, the permission that lets a role read a force's
records but change them only where `can_manage_force_records` allows, and the small steps each write
takes: parsing its input, working out the force, and answering 201 with the object and its Location."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import status
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response as ApiResponse
from rest_framework.reverse import reverse

from assessments.api.serializers import AssessmentSerializer
from assessments.permissions import can_manage_force_records
from forces.models import Force
from forces.scoping import force_ids_for

# Documentation of the answers every endpoint may give --------------------------------------------

FIELD_ERRORS = OpenApiResponse(OpenApiTypes.OBJECT, description="Field errors: `{field: [message, ...]}`")
DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
FORBIDDEN = OpenApiResponse(DETAIL, description="Your role may read this force's records but not change them")
NOT_FOUND = OpenApiResponse(DETAIL, description="No such object, or it belongs to a force you cannot see")
CONFLICT = OpenApiResponse(DETAIL, description="The assessment is no longer a draft, so its records cannot change")


def write_responses(ok_status: int, serializer) -> dict:
    return {ok_status: serializer, 400: FIELD_ERRORS, 403: FORBIDDEN, 404: NOT_FOUND, 409: CONFLICT}


WORKFLOW_FORBIDDEN = OpenApiResponse(DETAIL, description="Your role (or force) cannot take this action")
WORKFLOW_CONFLICT = OpenApiResponse(
    {
        "type": "object",
        "properties": {"detail": {"type": "string"}, "details": {"type": "array", "items": {"type": "string"}}},
        "required": ["detail"],
    },
    description=(
        "The assessment's state does not allow this now. When sign-off is refused for open challenges, "
        "`details` names each of them."
    ),
)
PAGE_PARAMETERS = [
    OpenApiParameter("page", OpenApiTypes.INT, description="A page number within the paginated result set."),
    OpenApiParameter("page_size", OpenApiTypes.INT, description="Number of results to return per page (at most 500)."),
]


def workflow_responses(ok_status: int = 200, serializer=AssessmentSerializer) -> dict:
    return {
        ok_status: serializer,
        400: FIELD_ERRORS,
        403: WORKFLOW_FORBIDDEN,
        404: NOT_FOUND,
        409: WORKFLOW_CONFLICT,
    }


# Building blocks ------------------------------------------------------------------------------------


class ManagesForceRecords(BasePermission):
    """Reading follows `visible_to`; changing an object needs `can_manage_force_records` for its force.

    Services check again (with the workflow state); this answers 403 before the request body or its
    preconditions are looked at, so a chief constable learns "not allowed" rather than "send If-Match".
    """

    message = "You cannot change this force's records"

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        force_id = obj.force_id if hasattr(obj, "force_id") else obj.assessment.force_id
        return can_manage_force_records(request.user, force_id)


def validated(serializer_class, request, **kwargs) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request}, **kwargs)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def force_for(user, data: dict) -> Force:
    """The force named in the input, or the user's only force when they act for just one."""
    force = data.pop("force", None)
    if force is not None:
        return force
    ids = force_ids_for(user)
    if len(ids) != 1:
        raise DjangoValidationError({"force": "Enter the force's code"})
    return Force.objects.get(pk=ids[0])


def created(view, obj, view_name: str) -> ApiResponse:
    """201 with the object as a list shows it (read back through the same selector) and its Location."""
    shown = view.get_queryset().get(pk=obj.pk)
    location = reverse(view_name, kwargs={"pk": obj.pk}, request=view.request)
    return ApiResponse(view.get_serializer(shown).data, status=status.HTTP_201_CREATED, headers={"Location": location})
