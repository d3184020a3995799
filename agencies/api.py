"""Auth, the current user and the agency directory (api.md)."""

import django_filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Agency
from .roles import AgencyKind
from .selectors import agency_list


class AgencyOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Agency
        fields = ["id", "name", "kind", "region_code", "region_name"]


class TokenApi(ObtainAuthToken):
    """POST username and password, get a token for `Authorization: Token <token>`."""

    @extend_schema(
        request=inline_serializer("TokenInput", {"username": serializers.CharField(), "password": serializers.CharField()}),
        responses=inline_serializer("TokenOutput", {"token": serializers.CharField()}),
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class MeApi(APIView):
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        username = serializers.CharField()
        full_name = serializers.CharField(source="display_name")
        role = serializers.CharField()
        role_display = serializers.CharField(source="get_role_display")
        language = serializers.CharField()
        agency = AgencyOutputSerializer(allow_null=True)

    @extend_schema(responses=OutputSerializer)
    def get(self, request):
        return Response(self.OutputSerializer(request.user).data)


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
