from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from audit.denials import get_visible_or_404
from notifications.api.serializers import NotificationSerializer
from notifications.models import Notification
from notifications.services import notification_mark_read


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The caller's own notifications, newest first; others' do not exist for them."""

    lookup_value_regex = r"[0-9]+"

    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user)

    def get_object(self):
        return get_visible_or_404(self.request, self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = self.get_object()
        notification_mark_read(user=request.user, notification=notification)
        notification.refresh_from_db()
        return Response(self.get_serializer(notification).data)
