from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from audit.denials import get_visible_or_404
from notifications.models import Notification
from notifications.services import notification_mark_read


def notification_list(request):
    notifications = Notification.objects.filter(recipient=request.user).select_related("case")
    page = Paginator(notifications, 50).get_page(request.GET.get("page"))
    return render(request, "notifications/notification_list.html", {"page": page})


@require_POST
def notification_read(request, pk):
    """Mark it read and go where it points."""
    notification = get_visible_or_404(request, Notification.objects.filter(recipient=request.user), pk=pk)
    notification_mark_read(user=request.user, notification=notification)
    return redirect(notification.url or "notification-list")


@require_POST
def notification_read_all(request):
    notification_mark_read(user=request.user)
    return redirect("notification-list")
