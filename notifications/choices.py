from django.db import models


class NotificationKind(models.TextChoices):
    ASSIGNED = "assigned", "Assigned"
    MENTIONED = "mentioned", "Mentioned"
    OPINION_FILED = "opinion_filed", "Opinion filed"
    DECISION_ISSUED = "decision_issued", "Decision issued"
    CONDITION_DUE = "condition_due", "Condition coming due"
    CONDITION_OVERDUE = "condition_overdue", "Condition overdue"
    REVIEW_DUE = "review_due", "Continuing review due"
    REASSESSMENT_OPENED = "reassessment_opened", "Reassessment opened"
    SAVED_SEARCH = "saved_search", "Saved search matched"
