from django.db import models


class Duty(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    DECISION_MAKER = "decision_maker", "Accountable decision-maker"
