"""`GET /api/stats/`: the figures of procedure.md §6 (api.md). Thin: parse the filters, call the selector."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from refusal_cases.replica import replica_reads
from workflow.supervision import stats


class StatsApi(APIView):
    """Counts per stage and outcome, private prosecutions, performances and the amount recovered, deadlines met on
    time per agency and kind, and median days per stage, over the cases the user may count. A case belongs to the
    period in which it was transferred to the police (or created, if never transferred)."""

    @extend_schema(
        parameters=[
            OpenApiParameter("region_code", OpenApiTypes.STR, description=(
                "6-digit division code of the executing court's region; a province (`450000`) or prefecture "
                "(`450100`) code covers the regions below it.")),
            OpenApiParameter("from", OpenApiTypes.DATE, description="First day of the period (YYYY-MM-DD)."),
            OpenApiParameter("to", OpenApiTypes.DATE, description="Last day of the period (YYYY-MM-DD)."),
            OpenApiParameter("agency", OpenApiTypes.INT, description="Only cases in which this agency takes part."),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    @replica_reads
    def get(self, request):
        filters = stats.parse_filters(request.query_params)
        return Response(stats.stats_compute(user=request.user, filters=filters).as_dict())
