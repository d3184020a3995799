"""The approvals API (api.md, procedure.md §3 "Approvals"): the inbox of proposals, approve and reject."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from refusal_cases.api import Pagination
from workflow.api.cases import ApprovalOutputSerializer, CaseDetailSerializer, case_detail_data
from workflow.cases import approvals
from workflow.cases.selectors import approval_list
from workflow.models import ApprovalStatus


class ApprovalListApi(ListAPIView):
    """Approvals the user may decide or has proposed."""

    serializer_class = ApprovalOutputSerializer
    pagination_class = Pagination

    class ApprovalFilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=ApprovalStatus.choices, required=False)

    def get_queryset(self):
        filters = self.ApprovalFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return approval_list(user=self.request.user, **filters.validated_data)

    @extend_schema(parameters=[ApprovalFilterSerializer])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ApprovalApproveApi(APIView):
    @extend_schema(request=None, responses={200: CaseDetailSerializer, 403: None, 404: None, 409: None})
    def post(self, request, pk):
        case = approvals.approve(approval_id=pk, actor=request.user)
        return Response(case_detail_data(request, case.pk))


class ApprovalRejectApi(APIView):
    class RejectInputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=5000, trim_whitespace=True)

    @extend_schema(request=RejectInputSerializer,
                   responses={200: ApprovalOutputSerializer, 400: None, 403: None, 404: None, 409: None})
    def post(self, request, pk):
        serializer = self.RejectInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        approval = approvals.reject(approval_id=pk, actor=request.user, reason=serializer.validated_data["reason"])
        return Response(ApprovalOutputSerializer(approval, context={"request": request}).data)
