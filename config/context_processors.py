from django.urls import reverse

from casebook.access import is_allowed
from notifications.models import Notification


def navigation(request):
    """The header's links: each shown only to those the access map lets in."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": [], "unread_notifications": 0}
    links = [
        ("My work", "home"),
        ("Cases", "case-list"),
        ("Search", "search"),
        ("Impact", "impact-queue"),
        ("Digest", "digest"),
        ("Framework", "principles:current"),
        ("Revisions", "principles:revision-list"),
        ("Partners", "partner-list"),
        ("Audit log", "audit-log"),
        ("Admin", "admin:index"),
        ("API", "api:docs"),
    ]
    current = request.resolver_match.view_name if request.resolver_match else ""
    return {
        "unread_notifications": Notification.objects.unread().filter(recipient=user).count() if user.roles else 0,
        "nav_links": [
            {"label": label, "url": reverse(name), "active": current == name}
            for label, name in links
            if is_allowed(user, name, "GET")
        ],
    }
