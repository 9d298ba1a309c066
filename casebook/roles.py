"""The five roles of the review board. Each is a Django group of the same name."""

from django.db import models


class Role(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    DECISION_MAKER = "decision-maker", "Decision-maker"
    LEGAL = "legal", "Legal"
    ADMIN = "admin", "Admin"
    OVERSIGHT = "oversight", "Oversight"


# Those who read everything, drafts and the audit log included.
READERS_OF_EVERYTHING = frozenset({Role.ADMIN, Role.OVERSIGHT})

# Django model permissions each role's group holds. What a role may do in Casebook's own
# pages and API is decided by the access map in casebook/access.py; these say the same for
# the admin site, and let other Django code ask `user.has_perm`.
READ_FRAMEWORK = ["principles.view_provision", "principles.view_revision", "principles.view_provisiontext"]
GROUP_PERMISSIONS = {
    Role.REVIEWER: READ_FRAMEWORK,
    Role.DECISION_MAKER: READ_FRAMEWORK,
    Role.LEGAL: READ_FRAMEWORK,
    Role.ADMIN: [
        *READ_FRAMEWORK,
        "principles.add_revision",
        "principles.change_revision",
        "principles.add_provisiontext",
        "principles.change_provisiontext",
        "principles.add_provision",
        "casebook.view_user",
        "casebook.add_user",
        "casebook.change_user",
        "auth.view_group",
        "casebook.view_auditevent",
    ],
    Role.OVERSIGHT: [*READ_FRAMEWORK, "casebook.view_user", "casebook.view_auditevent"],
}
