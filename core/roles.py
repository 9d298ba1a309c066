"""The five roles of the review board. Each is a Django group of the same name, made with
its permissions by casebook.groups."""

from django.db import models


class Role(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    DECISION_MAKER = "decision-maker", "Decision-maker"
    LEGAL = "legal", "Legal"
    ADMIN = "admin", "Admin"
    OVERSIGHT = "oversight", "Oversight"


# Who takes part in a case's review and its discussion: everyone but oversight, which reads.
PARTICIPANTS = frozenset({Role.REVIEWER, Role.DECISION_MAKER, Role.LEGAL, Role.ADMIN})
# Who reads the audit log and the framework's drafts: admins, and oversight who read everything.
ADMINS_AND_OVERSIGHT = frozenset({Role.ADMIN, Role.OVERSIGHT})
