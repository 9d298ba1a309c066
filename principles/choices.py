from django.db import models


class ProvisionKind(models.TextChoices):
    PRINCIPLE = "principle", "Principle"
    RED_LINE = "red_line", "Red line"
    PARTNER_FACTOR = "partner_factor", "Partner factor"
    SAFEGUARD = "safeguard", "Safeguard"
    LEGAL_AUTHORITY = "legal_authority", "Legal authority"


# The code prefix each kind's provisions carry: P-1, RL-1, F-1, S-1, A-1.
CODE_PREFIX = {
    ProvisionKind.PRINCIPLE: "P",
    ProvisionKind.RED_LINE: "RL",
    ProvisionKind.PARTNER_FACTOR: "F",
    ProvisionKind.SAFEGUARD: "S",
    ProvisionKind.LEGAL_AUTHORITY: "A",
}


class RevisionState(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


class Change(models.TextChoices):
    """How a provision differs between two revisions."""

    ADDED = "added", "Added"
    RETIRED = "retired", "Retired"
    CHANGED = "changed", "Changed"
    UNCHANGED = "unchanged", "Unchanged"
