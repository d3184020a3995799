"""Auth, the current user and the agency directory (api.md)."""

from datetime import datetime

import django_filters
from django.contrib.auth import authenticate, logout
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies import tokens
from agencies.models import Agency, ApiToken, TokenEnd
from agencies.roles import AgencyKind
from agencies.selectors import agency_list
from refusal_cases.parsers import JSONParser


class AgencyOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "region_code", "region_name"]


class TokenApi(APIView):
    """POST username and password (and optionally the device's name), get a new token for
    `Authorization: Token <token>`. Each login gets its own token; only its hash is kept, so it is shown once."""

    authentication_classes = []
    permission_classes = []
    parser_classes = [JSONParser]

    class TokenInputSerializer(serializers.Serializer):
        username = serializers.CharField()
        password = serializers.CharField(trim_whitespace=False)
        device = serializers.CharField(required=False, allow_blank=True, max_length=tokens.DEVICE_MAX,
                                       help_text="A name for this device or program; the User-Agent if not given.")

    @extend_schema(
        request=TokenInputSerializer,
        responses={200: inline_serializer("TokenOutput", {
                       "token": serializers.CharField(),
                       "id": serializers.IntegerField(),
                       "device": serializers.CharField(),
                       "expires_at": serializers.DateTimeField(
                           help_text="The latest end; earlier if the token is not used for the idle lifetime.")}),
                   429: inline_serializer("LockedOut", {"detail": serializers.CharField()})},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.TokenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # The request goes to the authentication backends: django-axes counts failures and refuses a locked account.
        user = authenticate(request=request, username=data["username"], password=data["password"])
        if user is None:
            # django-axes marks the request it refused; the wrapped DRF request hides that from its middleware.
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"detail": _("Too many failed logins: this account is locked for a while. Try again later.")},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]}, code="authorization")
        device = data.get("device") or request.headers.get("User-Agent", "")
        token, secret = tokens.issue(user, device)
        return Response({"token": secret, "id": token.pk, "device": token.device,
                         "expires_at": tokens.expires_at(token)})


class LogoutApi(APIView):
    """Ends the token the request is made with (a browser session: ends the session)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        if isinstance(request.auth, ApiToken):
            tokens.revoke(request.auth, TokenEnd.LOGOUT)
        else:
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenListApi(generics.ListAPIView):
    """The user's own live tokens, one per device that logged in; `current` marks the one of this request."""

    class DeviceTokenSerializer(serializers.ModelSerializer):
        expires_at = serializers.SerializerMethodField()
        current = serializers.SerializerMethodField()

        class Meta:
            model = ApiToken
            fields = ["id", "device", "created", "last_used", "expires_at", "current"]

        def get_expires_at(self, token) -> datetime:
            return tokens.expires_at(token)

        def get_current(self, token) -> bool:
            return token.pk == getattr(self.context["request"].auth, "pk", None)

    serializer_class = DeviceTokenSerializer

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema's look at the view
            return ApiToken.objects.none()
        return tokens.live_tokens(self.request.user)


class TokenDetailApi(APIView):
    """Removes one of the user's devices: its token stops working."""

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        token = get_object_or_404(tokens.live_tokens(request.user), pk=pk)
        tokens.revoke(token, TokenEnd.DEVICE_REMOVED)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    class MeOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        full_name = serializers.CharField(source="display_name")
        role = serializers.CharField()
        role_display = serializers.CharField(source="get_role_display")
        language = serializers.CharField()
        agency = AgencyOutputSerializer(allow_null=True)

    @extend_schema(responses=MeOutputSerializer)
    def get(self, request):
        return Response(self.MeOutputSerializer(request.user).data)


class AgencyFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices)
    region_code = django_filters.CharFilter()

    class Meta:
        model = Agency
        fields = ["kind", "region_code"]


class AgencyListApi(generics.ListAPIView):
    """Every agency (the directory is not secret: a transfer names another region's agencies)."""

    serializer_class = AgencyOutputSerializer
    filterset_class = AgencyFilter

    def get_queryset(self):
        return agency_list()
