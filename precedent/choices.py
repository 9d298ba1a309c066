from django.db import models


class AlertFrequency(models.TextChoices):
    """How often a saved search tells its owner of the new decisions that match it."""

    IMMEDIATELY = "immediately", "As each decision is issued"
    DAILY = "daily", "In a daily round-up"
    WEEKLY = "weekly", "In a weekly round-up"
