"""The five roles of the review board. Each is a Django group of the same name, made with
its permissions by casebook.groups."""

from django.db import models


class Role(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    DECISION_MAKER = "decision-maker", "Decision-maker"
    LEGAL = "legal", "Legal"
    ADMIN = "admin", "Admin"
    OVERSIGHT = "oversight", "Oversight"
