"""The five roles of the review board. Each is a Django group of the same name."""

from django.db import models


class Role(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    DECISION_MAKER = "decision-maker", "Decision-maker"
    LEGAL = "legal", "Legal"
    ADMIN = "admin", "Admin"
    OVERSIGHT = "oversight", "Oversight"


# Django model permissions each role's group holds, for the admin site. What a role may do
# in Casebook's own pages and API is decided by the access map in casebook/access.py.
GROUP_PERMISSIONS = {
    Role.ADMIN: [
        "casebook.view_user",
        "casebook.add_user",
        "casebook.change_user",
        "auth.view_group",
        "principles.view_provision",
        "principles.view_revision",
        "principles.view_provisiontext",
    ],
    Role.OVERSIGHT: [
        "casebook.view_user",
        "casebook.view_auditevent",
        "principles.view_provision",
        "principles.view_revision",
        "principles.view_provisiontext",
    ],
}
