from drf_spectacular.utils import extend_schema
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from casebook.models import Case
from dashboard.api.serializers import DashboardSerializer
from dashboard.figures import dashboard


class DashboardView(GenericAPIView):
    """The board's figures, counted over what the caller may see: caseload by month and
    status, outcomes by red line and stance, time to decision, open conditions by owner,
    the impact queue week by week and the citator's flags."""

    serializer_class = DashboardSerializer
    queryset = Case.objects.none()  # for the schema
    pagination_class = None

    @extend_schema(responses=DashboardSerializer)
    def get(self, request):
        return Response(DashboardSerializer(dashboard(seen_by=request.user)).data)
