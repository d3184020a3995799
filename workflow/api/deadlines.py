"""API of the legal calendar (api.md): a due date counted by CPL Art. 105."""

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from procedure.calendar import UnknownYear
from workflow.deadlines import holidays

MAX_DAYS = 3650  # no statutory period in this procedure comes near ten years; beyond it is a typing error
MAX_MONTHS = 120


def _language(request) -> str:
    """The user's chosen language (token requests authenticate after the middleware), else the browser's."""
    language = getattr(request, "LANGUAGE_CODE", "")
    user = getattr(request, "user", None)
    if not request.COOKIES.get("django_language") and user is not None and getattr(user, "language", ""):
        language = user.language
    return "en" if language.startswith("en") else "zh-hans"


class DueDateApi(APIView):
    """A due date counted by CPL Art. 105 against the official holiday schedule, with its one-line reasoning."""

    class FilterSerializer(serializers.Serializer):
        start = serializers.DateField(help_text="The day the period starts (not counted).")
        days = serializers.IntegerField(required=False, min_value=1, max_value=MAX_DAYS)
        months = serializers.IntegerField(required=False, min_value=1, max_value=MAX_MONTHS)
        custody = serializers.BooleanField(required=False, default=False,
                                           help_text="In custody: the period is not extended for holidays.")

        def validate(self, attrs):
            if "days" in attrs and "months" in attrs:
                raise serializers.ValidationError({"months": [_("Give either days or months, not both.")]})
            if "days" not in attrs and "months" not in attrs:
                raise serializers.ValidationError({"days": [_("Give the period in days or in months.")]})
            return attrs

    class OutputSerializer(serializers.Serializer):
        start = serializers.DateField()
        raw_end = serializers.DateField()
        due_date = serializers.DateField()
        custody = serializers.BooleanField()
        shifted_over = serializers.ListField(child=serializers.DateField())
        explanation = serializers.CharField()

    @extend_schema(
        parameters=[FilterSerializer],
        responses={200: OutputSerializer,
                   400: OpenApiResponse(OpenApiTypes.OBJECT, description=(
                       'Bad input, {"field": ["message", ...]}; or a year the holiday calendar does not know, '
                       '{"detail": "...", "year": 2031}.'))},
    )
    def get(self, request):
        filters = self.FilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        params = filters.validated_data
        try:
            due = holidays.due_date(start=params["start"], days=params.get("days"), months=params.get("months"),
                                    custody=params["custody"])
        except UnknownYear as exc:
            return Response(
                {"detail": _("The holiday calendar has no official schedule for %(year)s; an administrator must "
                             "import that year's State Council schedule first.") % {"year": exc.year},
                 "year": exc.year},
                status=status.HTTP_400_BAD_REQUEST,
            )
        except OverflowError:
            return Response({"start": [_("The period runs past the calendar's end.")]},
                            status=status.HTTP_400_BAD_REQUEST)
        data = {"start": due.start, "raw_end": due.raw_end, "due_date": due.due_date, "custody": due.custody,
                "shifted_over": list(due.shifted_over), "explanation": due.explain(_language(request))}
        return Response(self.OutputSerializer(data).data)
