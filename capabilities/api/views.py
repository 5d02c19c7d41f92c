"""API over Part B: editions (with their counts), areas and requirements (read-only, the text exactly
as published), and the capacity capabilities (read-only here; forces' figures are capacity.api)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from capabilities.api.filters import AreaFilter, RequirementFilter
from capabilities.api.serializers import (
    AreaSerializer,
    CapacityCapabilitySerializer,
    RequirementSerializer,
)
from capabilities.editions import EditionFileError
from capabilities.editions.drafts import edition_diff, edition_upload
from capabilities.editions.mapping import edition_mapping, edition_mapping_replace, edition_publish
from capabilities.models import Area, CapacityCapability, Requirement
from capabilities.permissions import can_manage_editions
from threats.api.filters import EditionFilter
from threats.api.serializers import EditionSerializer
from threats.models import Edition, JudgementLevel, Threat


def _count_per_edition(model) -> Coalesce:
    # One correlated subquery per count: joining threats, areas and requirements together would
    # multiply the rows (threats x areas x requirements) before counting.
    counted = (
        model.objects.filter(edition=OuterRef("pk")).order_by().values("edition").annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class ManagesEditions(permissions.BasePermission):
    """Uploading, mapping and publishing editions: national administrators only (403 for others)."""

    message = "Only a national administrator can upload, map or publish an edition."

    def has_permission(self, request, view):
        # Methods the routes do not take stay 405 (DRF answers them after the permission check).
        return view.action not in {"create", "mapping", "publish"} or can_manage_editions(request.user)


class PublishSerializer(serializers.Serializer):
    effective_from = serializers.DateField(help_text="The day the edition applies from (YYYY-MM-DD)")


_ERRORS = inline_serializer(
    "EditionFileErrors",
    {
        "detail": serializers.CharField(),
        "errors": inline_serializer(
            "EditionFileError",
            {"line": serializers.IntegerField(allow_null=True), "message": serializers.CharField()},
            many=True,
        ),
    },
)


class EditionViewSet(viewsets.ReadOnlyModelViewSet):
    """SPR editions, newest first, each with its judgement scale. Look one up by its code (`spr-2012`).

    National administrators also see draft editions, upload new ones (`POST`), map them to the
    edition they follow (`mapping/`) and publish them (`publish/`); everybody else gets 403 there.
    """

    serializer_class = EditionSerializer
    filterset_class = EditionFilter
    lookup_field = "code"

    def get_permissions(self):
        return [*super().get_permissions(), ManagesEditions()]

    def _edition_data(self, edition):
        edition = self._annotated(Edition.objects.managed_by(self.request.user)).get(pk=edition.pk)
        return EditionSerializer(edition, context=self.get_serializer_context()).data

    @extend_schema(
        request={"multipart/form-data": inline_serializer("EditionUpload", {"file": serializers.FileField()})},
        responses={
            201: OpenApiTypes.OBJECT,
            400: _ERRORS,
            403: OpenApiResponse(description="Not a national administrator"),
        },
        summary="Upload an edition file as a draft",
        description=(
            "The file (multipart field `file`) is in the format of `editions/*.yaml` (docs/editions.md). "
            "It is checked whole: a file with any problem answers 400 listing every problem with its "
            "line, and nothing is written. Otherwise the draft edition is answered with its `diff` "
            "against the edition it follows."
        ),
    )
    def create(self, request, *args, **kwargs):
        upload = request.FILES.get("file")
        if upload is None:
            message = "Select an edition file (multipart field file)"
            return Response({"detail": message, "errors": [{"line": None, "message": message}]}, status=400)
        try:
            edition = edition_upload(user=request.user, name=upload.name, content=upload.read())
        except EditionFileError as error:
            return Response(
                {
                    "detail": "Nothing was loaded: the edition file has problems.",
                    "errors": [{"line": line, "message": message} for line, message in error.errors],
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        data = dict(self._edition_data(edition))
        data["diff"] = edition_diff(edition=edition).as_dict()
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses={200: OpenApiTypes.OBJECT},
        summary="The mapping of an edition to the one it follows",
    )
    @extend_schema(
        methods=["PUT"],
        request=OpenApiTypes.OBJECT,
        responses={200: OpenApiTypes.OBJECT, 400: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        summary="Replace a draft's whole mapping (it must be complete)",
        description=(
            "`requirements`: [{ref, previous: [refs of the previous edition], same_meaning}], "
            "`retired_requirements`: [refs]; `threats` and `retired_threats` likewise by code. Every "
            "requirement and threat must be accounted for and every previous one continued or retired; "
            "otherwise 400 lists every problem and nothing is written. 409 once published."
        ),
    )
    @action(detail=True, methods=["get", "put"])
    def mapping(self, request, code=None):
        edition = self.get_object()
        if request.method == "PUT":
            try:
                state = edition_mapping_replace(user=request.user, edition=edition, data=request.data)
            except DjangoValidationError as error:
                return Response({"detail": "The mapping was not saved.", "errors": error.messages}, status=400)
            return Response(state.as_dict())
        return Response(edition_mapping(edition=edition).as_dict())

    @extend_schema(
        request=PublishSerializer,
        responses={200: EditionSerializer, 400: OpenApiTypes.OBJECT, 409: OpenApiTypes.OBJECT},
        summary="Publish a draft edition from a date",
        description="409 (with `details` listing every gap) while its mapping is incomplete, or once published.",
    )
    @action(detail=True, methods=["post"])
    def publish(self, request, code=None):
        edition = self.get_object()
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        edition = edition_publish(
            user=request.user, edition=edition, effective_from=serializer.validated_data["effective_from"]
        )
        return Response(self._edition_data(edition))

    def get_queryset(self):
        user = self.request.user
        # Drafts: only the national administrator's actions reach them (list and detail never do).
        if self.action in {"mapping", "publish"}:
            return self._annotated(Edition.objects.managed_by(user))
        return self._annotated(Edition.objects.visible_to(user))

    @staticmethod
    def _annotated(editions):
        return (
            editions.annotate(
                threat_count=_count_per_edition(Threat),
                area_count=_count_per_edition(Area),
                requirement_count=_count_per_edition(Requirement),
            )
            .select_related("follows")
            .prefetch_related(Prefetch("judgement_levels", queryset=JudgementLevel.objects.order_by("position", "id")))
            .order_by("-published_on", "code")
        )


class AreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The areas of Part B (the five Cs in 2012).

    An area's code is unique only within its edition, so the detail route takes the id; to find an
    area by code use `?edition=spr-2012&code=capability`.
    """

    serializer_class = AreaSerializer
    filterset_class = AreaFilter

    def get_queryset(self):
        return (
            Area.objects.visible_to(self.request.user)
            .select_related("edition")
            .order_by("-edition__published_on", "edition__code", "position", "id")
        )


class RequirementViewSet(viewsets.ReadOnlyModelViewSet):
    """Every assessable requirement, in the edition's order.

    Refs such as `3.2(a)(ii)` are unique only within an edition and awkward in a path, so the detail
    route takes the id; to find one by ref use `?edition=spr-2012&ref=3.2(a)(ii)`.
    """

    serializer_class = RequirementSerializer
    filterset_class = RequirementFilter

    def get_queryset(self):
        user = self.request.user
        return (
            Requirement.objects.visible_to(user)
            .select_related("edition")
            .prefetch_related(
                Prefetch("areas", queryset=Area.objects.visible_to(user).only("id", "code").order_by("position")),
                Prefetch("threats", queryset=Threat.objects.visible_to(user).only("id", "code").order_by("position")),
            )
            .order_by("-edition__published_on", "edition__code", "position", "id")
        )


# --- Capacity planning -------------------------------------------------------------------------------


class CapacityCapabilityViewSet(viewsets.ReadOnlyModelViewSet):
    """The capabilities forces report capacity for, with their national planning assumptions (the
    ones loaded with the service are ILLUSTRATIVE until a national administrator sets them)."""

    serializer_class = CapacityCapabilitySerializer
    queryset = CapacityCapability.objects.order_by("position", "name")
    lookup_field = "code"
    filterset_class = None
