"""The collaboration agreements endpoint: list, detail and create, scoped as the register is (a
force sees the agreements it leads or is party to; national roles see all), a party's confirmation,
and the lead force adding and removing parties (`parties/`, `parties/{force code}/`). Pages and the
API call the same selectors and services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response as ApiResponse
from rest_framework.reverse import reverse

from capabilities.models import Requirement
from collaboration import selectors, services
from collaboration.api.serializers import (
    AgreementCreateSerializer,
    AgreementSerializer,
    AgreementUpdateSerializer,
    PartyAddSerializer,
    PartySerializer,
)
from collaboration.permissions import can_change_agreement, can_confirm_party
from core.api.parsers import SafeJSONParser
from forces.models import Force
from forces.scoping import force_ids_for
from threats.models import Edition, EditionStatus


def _lead_force(user, data) -> Force:
    force = data.pop("lead_force", None)
    if force is not None:
        return force
    ids = force_ids_for(user)
    if len(ids) != 1:
        raise DjangoValidationError({"lead_force": _("Enter the lead force's code")})
    return Force.objects.get(pk=ids[0])


def _requirements(data) -> list[Requirement]:
    refs = data.pop("requirements", [])
    edition = data.pop("edition", None)
    if not refs:
        return []
    if edition is None:
        edition = Edition.objects.filter(status=EditionStatus.IN_FORCE).order_by("-published_on").first()
    found = {item.ref: item for item in Requirement.objects.filter(edition=edition, ref__in=refs)}
    unknown = [ref for ref in refs if ref not in found]
    if unknown:
        raise DjangoValidationError({"requirements": _("Not in the edition: %(refs)s") % {"refs": ", ".join(unknown)}})
    return list(dict.fromkeys(found[ref] for ref in refs))


@extend_schema_view(
    list=extend_schema(summary="Collaboration agreements your force leads or is party to (all, for national roles)"),
    retrieve=extend_schema(summary="One collaboration agreement"),
)
class AgreementViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Collaboration agreements between forces (section 22A of the Police Act 1996 and others): the
    lead force records one; each other party confirms its part."""

    serializer_class = AgreementSerializer
    parser_classes = [SafeJSONParser]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if self.action in {"parties", "party"}:  # the parties only: no requirements or capabilities
            return selectors.agreement_list(user=self.request.user)
        return selectors.agreement_list(user=self.request.user).prefetch_related(
            "requirements__edition", "capabilities"
        )

    @extend_schema(
        summary="Record an agreement (the lead force's staff); the lead force's part is confirmed at once",
        request=AgreementCreateSerializer,
        responses={201: AgreementSerializer},
    )
    def create(self, request):
        serializer = AgreementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        lead_force = _lead_force(request.user, data)
        requirements = _requirements(data)
        agreement = services.agreement_create(
            user=request.user,
            lead_force=lead_force,
            partners=data.pop("parties"),
            requirements=requirements,
            **data,
        )
        shown = self.get_queryset().get(pk=agreement.pk)
        location = reverse("api-agreement-detail", kwargs={"pk": agreement.pk}, request=request)
        return ApiResponse(
            self.get_serializer(shown).data, status=status.HTTP_201_CREATED, headers={"Location": location}
        )

    @extend_schema(
        summary="Change an agreement (the lead force's staff): details, requirements, capabilities, dates",
        request=AgreementUpdateSerializer,
        responses={200: AgreementSerializer},
    )
    def partial_update(self, request, pk=None):
        agreement = self.get_object()
        if not can_change_agreement(request.user, agreement):
            raise PermissionDenied(_("Only the lead force can change this agreement"))
        serializer = AgreementUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        requirements = _requirements(data) if "requirements" in data else None
        data.pop("edition", None)
        services.agreement_update(user=request.user, agreement=agreement, requirements=requirements, **data)
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data)

    @extend_schema(
        summary="Confirm your force's part in the agreement", request=None, responses={200: AgreementSerializer}
    )
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        agreement = self.get_object()
        party = next((p for p in agreement.parties.all() if can_confirm_party(request.user, p)), None)
        if party is None:
            raise PermissionDenied(_("Your force's part has already been confirmed, or your role cannot confirm it"))
        services.agreement_confirm(user=request.user, party=party)
        return ApiResponse(self.get_serializer(self.get_queryset().get(pk=agreement.pk)).data)

    def _lead_forces_agreement(self, request):
        """The agreement (404 for a force that is no party) for its lead force's staff (403 for a party
        that is not the lead), before the body is read."""
        agreement = self.get_object()
        if not can_change_agreement(request.user, agreement):
            raise PermissionDenied(_("Only the lead force can change this agreement"))
        return agreement

    @extend_schema(
        methods=["GET"],
        summary="The agreement's parties and their confirmation",
        request=None,
        responses={200: PartySerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary="Add a force to the agreement (the lead force's staff); its own staff then confirm its part",
        description="400 for an unknown force, the lead force or a force already a party.",
        request=PartyAddSerializer,
        responses={201: PartySerializer},
    )
    @action(detail=True, methods=["get", "post"], pagination_class=None)
    def parties(self, request, pk=None):
        if request.method == "GET":
            agreement = self.get_object()
            return ApiResponse(PartySerializer(agreement.parties.all(), many=True).data)
        agreement = self._lead_forces_agreement(request)
        serializer = PartyAddSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        party = services.agreement_add_party(user=request.user, agreement=agreement, **serializer.validated_data)
        location = reverse(
            "api-agreement-party", kwargs={"pk": agreement.pk, "force_code": party.force.code}, request=request
        )
        return ApiResponse(PartySerializer(party).data, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "force_code", OpenApiTypes.STR, OpenApiParameter.PATH, description="The party force's code"
            )
        ]
    )
    @extend_schema(
        methods=["GET"], summary="One party to the agreement", request=None, responses={200: PartySerializer}
    )
    @extend_schema(
        methods=["DELETE"],
        summary="Remove a party from the agreement (the lead force's staff); the force no longer sees it",
        description=(
            "400 for the lead force's own party, or the last party other than the lead force (an "
            "agreement needs at least one other force). Evidence already shared stays as its owner shared it."
        ),
        request=None,
        responses={204: None},
    )
    @action(
        detail=True,
        methods=["get", "delete"],
        url_path=r"parties/(?P<force_code>[-a-zA-Z0-9_]{1,100})",
        url_name="party",
        pagination_class=None,
    )
    def party(self, request, pk=None, force_code=None):
        agreement = self.get_object() if request.method == "GET" else self._lead_forces_agreement(request)
        party = next((item for item in agreement.parties.all() if item.force.code == force_code), None)
        if party is None:
            raise Http404(_("That force is not a party to this agreement"))
        if request.method == "GET":
            return ApiResponse(PartySerializer(party).data)
        services.agreement_remove_party(user=request.user, agreement=agreement, party=party)
        return ApiResponse(status=status.HTTP_204_NO_CONTENT)
