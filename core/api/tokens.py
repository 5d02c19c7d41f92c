"""`/api/v1/tokens/`: a person's own API tokens. List and read them, make one (its secret is in the
201 answer, once), revoke one (DELETE). Another person's token is not found."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from core.models import ApiToken
from core.tokens import token_create, token_revoke, tokens_of


class ApiTokenSerializer(serializers.ModelSerializer):
    active = serializers.SerializerMethodField()

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at", "active"]
        read_only_fields = fields

    def get_active(self, token) -> bool:
        return token.is_active()


class ApiTokenCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    days = serializers.IntegerField(required=False, min_value=1, help_text="Days until it expires (default 90)")


class NewApiTokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(read_only=True, help_text="The token itself: shown this once, never again")

    class Meta(ApiTokenSerializer.Meta):
        fields = [*ApiTokenSerializer.Meta.fields, "token"]
        read_only_fields = fields


class ApiTokenViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, viewsets.GenericViewSet
):
    """Your own API tokens. Send one as `Authorization: Bearer <token>`. Tokens are made only by a
    signed-in person (not with another token), and DELETE revokes one."""

    serializer_class = ApiTokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return ApiToken.objects.none()
        return tokens_of(self.request.user)

    @extend_schema(request=ApiTokenCreateSerializer, responses={201: NewApiTokenSerializer})
    def create(self, request):
        if isinstance(request.auth, ApiToken):
            raise PermissionDenied(_("Make new tokens while signed in, not with another token."))
        data = ApiTokenCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            new = token_create(user=request.user, **data.validated_data)
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        answer = NewApiTokenSerializer(new.token).data
        answer["token"] = new.secret
        return Response(answer, status=status.HTTP_201_CREATED)

    def perform_destroy(self, instance):
        token_revoke(token=instance, user=self.request.user)
