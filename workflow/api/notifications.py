"""API of the user's own notifications (api.md): the list with the number unread, marking read."""

from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from refusal_cases.api import Pagination
from workflow.api.deadlines import _language
from workflow.models import Notification
from workflow.notifications import services as notifications
from workflow.notifications.selectors import notification_list, notification_unread_count
from workflow.notifications.texts import shown


class NotificationOutputSerializer(serializers.ModelSerializer):
    """A notification, its title and body in the reader's language (api.md: the language of the request, or the
    one the user chose), whatever language it was written for."""

    case_number = serializers.CharField(source="case.number", allow_null=True, default=None)
    title = serializers.SerializerMethodField()
    body = serializers.SerializerMethodField()
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "case", "case_number", "deadline", "due_date", "created_at",
                  "read_at", "read"]

    def to_representation(self, instance):
        request = self.context.get("request")
        self._shown = shown(instance, _language(request) if request is not None else get_language())
        return super().to_representation(instance)

    def get_title(self, obj) -> str:
        return self._shown[0]

    def get_body(self, obj) -> str:
        return self._shown[1]

    def get_read(self, obj) -> bool:
        return obj.read_at is not None


class NotificationPagination(Pagination):
    """The page of api.md plus ``unread``: how many of the user's notifications are still unread."""

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        response.data["unread"] = notification_unread_count(user=self.request.user)
        return response

    def get_paginated_response_schema(self, schema):
        schema = super().get_paginated_response_schema(schema)
        schema["properties"]["unread"] = {"type": "integer", "example": 3}
        schema["required"] = [*schema.get("required", []), "unread"]
        return schema


class NotificationListApi(ListAPIView):
    """The user's own notifications, newest first, with the number still unread."""

    serializer_class = NotificationOutputSerializer
    pagination_class = NotificationPagination

    class FilterSerializer(serializers.Serializer):
        unread = serializers.BooleanField(required=False, allow_null=True, default=None)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the OpenAPI schema is built without a user
            return Notification.objects.none()
        filters = self.FilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return notification_list(user=self.request.user, **filters.validated_data)

    @extend_schema(parameters=[FilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses=NotificationOutputSerializer)
    def post(self, request, pk):
        notification = notifications.notification_mark_read(user=request.user, notification_id=pk)
        return Response(NotificationOutputSerializer(notification, context={"request": request}).data)


class NotificationReadAllApi(APIView):
    @extend_schema(request=None, responses=inline_serializer(
        "NotificationsMarkedRead", {"marked": serializers.IntegerField(), "unread": serializers.IntegerField()}))
    def post(self, request):
        marked = notifications.notification_mark_all_read(user=request.user)
        return Response({"marked": marked, "unread": notification_unread_count(user=request.user)})
