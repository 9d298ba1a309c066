from django.urls import reverse

from casebook.access import is_allowed
from notifications.models import Notification

# The header's links, each shown only to those the access map lets in. The day's work goes
# in the primary row; the tools of those who run the board go in the smaller row beside the
# account, so that an admin's header, which has them all, still fits on one line at 1280 px.
PRIMARY_LINKS = [
    ("My work", "home"),
    ("Dashboard", "dashboard"),
    ("Cases", "case-list"),
    ("Search", "search"),
    ("Impact", "impact-queue"),
    ("Digest", "digest"),
    ("Framework", "principles:current"),
    ("Revisions", "principles:revision-list"),
    ("Partners", "partner-list"),
]
SECONDARY_LINKS = [
    ("Audit log", "audit-log"),
    ("Admin", "admin:index"),
    ("API", "api:docs"),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_links": [], "nav_secondary_links": [], "unread_notifications": 0}
    current = request.resolver_match.view_name if request.resolver_match else ""

    def shown(links):
        return [
            {"label": label, "url": reverse(name), "active": current == name}
            for label, name in links
            if is_allowed(user, name, "GET")
        ]

    return {
        "unread_notifications": Notification.objects.unread().filter(recipient=user).count() if user.roles else 0,
        "nav_links": shown(PRIMARY_LINKS),
        "nav_secondary_links": shown(SECONDARY_LINKS),
    }
