import datetime
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.errors import Conflict
from core.roles import ADMINS_AND_OVERSIGHT
from principles.choices import CODE_PREFIX, ProvisionKind, RevisionState

CODE_PATTERN = r"(?:P|RL|F|S|A)-[1-9][0-9]{0,3}"


def validate_code(code: str) -> None:
    if not re.fullmatch(CODE_PATTERN, code or ""):
        raise ValidationError("A code is a kind prefix (P, RL, F, S or A), a hyphen and a number, such as RL-2.")


class ProvisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Provisions with wording in a revision the user may read: one that so far exists
        only in a draft is as hidden as the draft."""
        return self.filter(texts__revision__in=Revision.objects.visible_to(user)).distinct()


class Provision(models.Model):
    """A provision of the framework under its stable code. Its wording lives in one
    ProvisionText per revision; a provision with no text in a revision is retired there."""

    code = models.CharField(max_length=12, unique=True, validators=[validate_code])
    kind = models.CharField(max_length=20, choices=ProvisionKind.choices)
    # Derived from kind and number so that P-2 sorts before RL-1 and RL-10 after RL-9.
    position = models.PositiveIntegerField(default=0, editable=False)
    source = models.CharField(max_length=200, blank=True, help_text="Where the source documents state it.")

    objects = ProvisionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.code

    def save(self, *args, **kwargs):
        kind_rank = list(ProvisionKind.values).index(self.kind)
        self.position = kind_rank * 10_000 + int(self.code.rsplit("-", 1)[1])
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("principles:provision-detail", args=[self.code])

    def clean(self):
        if self.code and self.kind and not self.code.startswith(f"{CODE_PREFIX[self.kind]}-"):
            raise ValidationError(
                {"code": f"A {self.get_kind_display().lower()} code starts with {CODE_PREFIX[self.kind]}-."}
            )


class RevisionQuerySet(models.QuerySet):
    def visible_to(self, user):
        # Drafts are work in progress: only admins, and oversight who read everything.
        if user.is_authenticated and user.has_role(*ADMINS_AND_OVERSIGHT):
            return self
        return self.exclude(state=RevisionState.DRAFT)

    def in_force(self, *, at: datetime.date | datetime.datetime | None = None):
        """The revision in force: now, the one published; on the day `at` falls on, the last
        published one effective by then (None before the first)."""
        if at is None:
            return self.filter(state=RevisionState.PUBLISHED).first()
        day = at.date() if isinstance(at, datetime.datetime) else at
        return (
            self.exclude(state=RevisionState.DRAFT)
            .filter(effective_date__lte=day)
            .order_by("-effective_date", "-number")
            .first()
        )


class Revision(models.Model):
    """One edition of the framework. Published revisions are never changed again."""

    number = models.PositiveIntegerField(unique=True)
    state = models.CharField(max_length=12, choices=RevisionState.choices, default=RevisionState.DRAFT)
    effective_date = models.DateField(null=True, blank=True)
    change_summary = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            # At most one revision is in force, and at most one draft is being edited.
            models.UniqueConstraint(
                fields=["state"], condition=Q(state=RevisionState.PUBLISHED), name="one_published_revision"
            ),
            models.UniqueConstraint(
                fields=["state"], condition=Q(state=RevisionState.DRAFT), name="one_draft_revision"
            ),
        ]

    def __str__(self):
        return f"Revision {self.number}"

    def get_absolute_url(self) -> str:
        return reverse("principles:revision-detail", args=[self.number])

    @property
    def is_draft(self) -> bool:
        return self.state == RevisionState.DRAFT

    def texts_by_code(self) -> dict[str, "ProvisionText"]:
        texts = self.texts.select_related("provision").order_by("provision__position", "provision__id")
        return {text.provision.code: text for text in texts}


class ProvisionText(models.Model):
    """A provision's wording in one revision. Later records (tags, decisions) pin the
    exact text they were made against, so a published text is never changed."""

    revision = models.ForeignKey(Revision, on_delete=models.CASCADE, related_name="texts")
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="texts")
    title = models.CharField(max_length=200)
    body = models.TextField()

    class Meta:
        ordering = ["provision__position", "provision__id"]
        constraints = [models.UniqueConstraint(fields=["revision", "provision"], name="one_text_per_revision")]

    def __str__(self):
        return f"{self.provision.code} ({self.revision})"

    def save(self, *args, **kwargs):
        if not self.revision.is_draft:
            raise Conflict(f"{self.revision} is published: its texts can no longer be changed.")
        super().save(*args, **kwargs)

    def same_wording(self, other: "ProvisionText | None") -> bool:
        return other is not None and (self.title, self.body) == (other.title, other.body)
