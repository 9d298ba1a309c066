from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from reviews.api.serializers import WorkQueuesSerializer
from reviews.queues import work_for


class MyWorkView(APIView):
    """The caller's work queues, as on the page they land on after signing in."""

    @extend_schema(responses=WorkQueuesSerializer)
    def get(self, request):
        return Response(WorkQueuesSerializer(work_for(request.user)).data)
