"""Auth, the current user and the agency directory (api.md)."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView

from agencies.models import Agency
from agencies.roles import AgencyKind
from agencies.selectors import agency_list
from refusal_cases.parsers import JSONParser


class AgencyOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "region_code", "region_name"]


class TokenApi(ObtainAuthToken):
    """POST username and password, get a token for `Authorization: Token <token>`."""

    parser_classes = [JSONParser]  # JSON like every body of the API (the base view also reads forms)

    @extend_schema(
        request=inline_serializer("TokenInput", {"username": serializers.CharField(), "password": serializers.CharField()}),
        responses={200: inline_serializer("TokenOutput", {"token": serializers.CharField()}),
                   429: inline_serializer("LockedOut", {"detail": serializers.CharField()})},
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        if not serializer.is_valid():
            # django-axes marks the request it refused; the wrapped DRF request hides that from its middleware.
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"detail": _("Too many failed logins: this account is locked for a while. Try again later.")},
                    status=status.HTTP_429_TOO_MANY_REQUESTS,
                )
            raise serializers.ValidationError(serializer.errors)
        token, _created = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


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
