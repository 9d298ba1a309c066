from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property

from casebook import visibility
from casebook.choices import (
    EDITABLE_STATUSES,
    TREATED,
    WORKFLOW,
    Architecture,
    CaseStatus,
    ConditionStatus,
    DataCategory,
    Duty,
    ForceProximity,
    HumanJudgment,
    MissionArea,
    Outcome,
    PartnerKind,
    Stance,
    Treatment,
)
from core.errors import Conflict
from core.querysets import AppendOnlyQuerySet
from core.roles import Role


class User(AbstractUser):
    """A member of the review board. Users are deactivated, never deleted: the audit
    log and, later, decisions name them."""

    class Meta:
        ordering = ["username"]

    def save(self, *args, **kwargs):
        # set_password, set_unusable_password or a hash put in place: whichever, and however.
        fields = kwargs.get("update_fields")
        password_changed = (
            self.pk is not None
            and (fields is None or "password" in fields)
            and User.objects.filter(pk=self.pk).exclude(password=self.password).exists()
        )
        super().save(*args, **kwargs)
        if password_changed:
            from casebook.tokens import tokens_revoke  # here: the tokens module builds on this one

            # Whoever changed it, and however: no API token issued under the old one still works.
            tokens_revoke(user=self, by=None, reason="password changed")

    @cached_property
    def roles(self) -> frozenset[Role]:
        if not self.is_active:
            return frozenset()
        if self.is_superuser:
            return frozenset(Role)
        names = self.groups.values_list("name", flat=True)
        return frozenset(Role(name) for name in names if name in Role.values)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Partner(models.Model):
    """An agency or government the provider might work with."""

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=30, choices=PartnerKind.choices)
    country = models.CharField(max_length=100)
    eligibility_notes = models.TextField(blank=True, max_length=20000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partner-detail", args=[self.pk])


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The cases `user` may know exist (casebook.visibility)."""
        return self.filter(visibility.need_to_know(user))

    def involving(self, user):
        """The cases someone is on the need-to-know list of: filed, cleared or assigned."""
        return self.filter(pk__in=visibility.involved_case_ids(user))


class Case(models.Model):
    """An opportunity under review: who would use the AI, for what, and how."""

    docket = models.CharField(max_length=20, unique=True, null=True, blank=True, editable=False)
    title = models.CharField(max_length=200)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="cases")
    mission_area = models.CharField(max_length=30, choices=MissionArea.choices)
    proposed_use = models.TextField(max_length=20000, help_text="The proposed use, in the reviewer's words.")
    architecture = models.CharField("deployment architecture", max_length=30, choices=Architecture.choices)
    human_judgment = models.CharField("human-judgment level", max_length=30, choices=HumanJudgment.choices)
    force_proximity = models.CharField("proximity to use of force", max_length=30, choices=ForceProximity.choices)
    safeguards = models.ManyToManyField(
        "principles.Provision", blank=True, related_name="+", limit_choices_to={"kind": "safeguard"}
    )
    restricted = models.BooleanField(default=False, help_text="Only the access list may see a restricted case.")
    access_list = models.ManyToManyField(User, blank=True, related_name="cleared_cases")
    status = models.CharField(max_length=20, choices=CaseStatus.choices, default=CaseStatus.DRAFT)
    filed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="filed_cases")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status"]), models.Index(fields=["mission_area"])]

    def __str__(self):
        return f"{self.docket or 'Draft'} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("case-detail", args=[self.pk])

    def is_filer(self, user) -> bool:
        return self.filed_by_id == user.pk

    def is_cleared(self, user) -> bool:
        """On the need-to-know list (the filer always is)."""
        return self.is_filer(user) or self.access_list.filter(pk=user.pk).exists()

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def check_filed_by(self, user) -> None:
        if not self.is_filer(user):
            raise PermissionDenied("Only the case's filer may change it.")

    def check_editable_by(self, user, *, what: str = "facts") -> None:
        """Only its filer corrects a case's facts and tags, and only until review begins."""
        self.check_filed_by(user)
        if not self.is_editable:
            raise Conflict(
                f"{self.docket or 'This case'} is {self.get_status_display().lower()}: its {what} are fixed."
            )

    @property
    def is_open_to_all(self) -> bool:
        """Seen by every role: not restricted, and submitted (casebook.visibility)."""
        return visibility.is_open_to_all(restricted=self.restricted, submitted=self.submitted_at is not None)

    # The workflow's transitions. Each checks who may take it and from where, and moves the
    # case in memory; the services in reviews.services save, audit and notify.

    def can(self, action: str) -> bool:
        return self.status in WORKFLOW[action][0]

    def _move(self, action: str) -> None:
        sources, target, refusal = WORKFLOW[action]
        if self.status not in sources:
            raise Conflict(f"{self.docket or 'A draft'} is {self.get_status_display().lower()}: it cannot {refusal}.")
        self.status = target

    def submit(self, *, by) -> None:
        if not self.is_filer(by):
            raise PermissionDenied("Only the case's filer submits it.")
        self._move("submit")

    def start_review(self, *, by) -> None:
        """`by` is None when a task starts it."""
        if by is not None and not by.has_role(Role.ADMIN, Role.DECISION_MAKER):
            raise PermissionDenied("Only an admin or a decision-maker puts a case into review.")
        self._move("start_review")
        if self.accountable_decision_maker() is None:
            raise Conflict(f"{self.docket} has no accountable decision-maker: assign one first.")

    def accountable_decision_maker(self):
        assignment = self.assignments.active().filter(duty=Duty.DECISION_MAKER).select_related("person").first()
        return assignment.person if assignment else None

    def people_concerned(self) -> list:
        """Who is told when the case moves: its filer, the decision-maker of the decision in
        force, and everyone assigned; never anyone recused from it."""
        decision = self.decisions.in_force().select_related("decided_by").first()
        recused = set(self.assignments.filter(recused_at__isnull=False).values_list("person_id", flat=True))
        people = [
            self.filed_by,
            decision.decided_by if decision else None,
            *(a.person for a in self.assignments.active().select_related("person")),
        ]
        return [p for p in people if p is not None and p.pk not in recused]

    def is_recused(self, user) -> bool:
        return self.assignments.filter(person=user, recused_at__isnull=False).exists()

    def decide(self) -> None:
        self._move("decide")

    def reopen(self, *, by, reason: str) -> None:
        """Reconsideration, continuing review or a partner reassessment; `by` is None when a
        task reopens it."""
        if by is not None and not by.has_role(Role.ADMIN, Role.DECISION_MAKER):
            raise PermissionDenied("Only an admin or a decision-maker reopens a case.")
        if not reason.strip():
            raise ValidationError({"reason": "Say why the case is reopened."})
        self._move("reopen")

    def withdraw(self, *, by) -> None:
        if not (self.is_filer(by) or by.has_role(Role.ADMIN)):
            raise PermissionDenied("Only the case's filer or an admin withdraws it.")
        self._move("withdraw")

    @property
    def data_categories(self) -> list[str]:
        return [row.category for row in self.data.all()]


class AssignmentQuerySet(models.QuerySet):
    def active(self):
        return self.filter(recused_at__isnull=True)


class Assignment(models.Model):
    """Someone assigned to a case: a reviewer who writes an opinion, or the one accountable
    decision-maker. Part of who may know the case (casebook.visibility); the review workflow
    (reviews.services) makes and ends assignments. A recusal ends their part in it but stays
    on the record."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assignments")
    duty = models.CharField(max_length=20, choices=Duty.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField()
    recused_at = models.DateTimeField(null=True, blank=True)
    recusal_statement = models.TextField(blank=True, max_length=5000, help_text="The conflict of interest.")

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        db_table = "reviews_assignment"  # the table it had in the reviews app
        ordering = ["assigned_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="one_assignment_per_person"),
            models.UniqueConstraint(
                fields=["case"],
                condition=models.Q(duty=Duty.DECISION_MAKER, recused_at__isnull=True),
                name="one_accountable_decision_maker",
            ),
        ]

    def __str__(self):
        return f"{self.person} ({self.get_duty_display().lower()})"


class CaseData(models.Model):
    """One kind of data a case involves (U.S.-person data, biometric data …)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="data")
    category = models.CharField(max_length=30, choices=DataCategory.choices)

    class Meta:
        ordering = ["category"]
        constraints = [models.UniqueConstraint(fields=["case", "category"], name="one_row_per_data_category")]

    def __str__(self):
        return self.get_category_display()


class DocketCounter(models.Model):
    """The last docket number issued in a year. Numbers are never reused, so a withdrawn
    case keeps its number and the next case takes the one after."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last}"


class Tag(models.Model):
    """A case's assessment against one provision, pinned to the exact wording it was made
    against, so a later revision of that provision never silently changes what was said."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tags")
    provision = models.ForeignKey("principles.Provision", on_delete=models.PROTECT, related_name="+")
    provision_text = models.ForeignKey("principles.ProvisionText", on_delete=models.PROTECT, related_name="tags")
    stance = models.CharField(max_length=30, choices=Stance.choices)
    note = models.TextField(blank=True, max_length=5000)
    tagged_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    tagged_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["provision__position"]
        constraints = [models.UniqueConstraint(fields=["case", "provision"], name="one_tag_per_provision")]

    def __str__(self):
        return f"{self.provision} {self.get_stance_display()}"


class TagVerdict(models.Model):
    """A reviewer's verdict on a tag Casebook suggested for a case (precedent.suggestions):
    accepted, it became the case's tag; rejected, it is not suggested for that case again,
    and it counts against suggesting the same stance elsewhere."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tag_verdicts")
    provision = models.ForeignKey("principles.Provision", on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(max_length=30, choices=Stance.choices)
    accepted = models.BooleanField()
    by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "provision", "stance"], name="one_verdict_per_suggestion")
        ]

    def __str__(self):
        return f"{self.provision} {self.get_stance_display()}: {'accepted' if self.accepted else 'rejected'}"


def in_force(via: str = "") -> Q:
    """A decision in force: none has superseded it. As a condition on the decision, or on the
    decision a relation leads to (`via`, say "decisions")."""
    return Q(**{f"{via}__superseded_by__isnull" if via else "superseded_by__isnull": True})


class DecisionQuerySet(AppendOnlyQuerySet):
    def visible_to(self, user):
        """Decisions on cases the user may see (need-to-know follows the case)."""
        return self.filter(visibility.need_to_know(user, via="case"))

    def in_force(self):
        return self.filter(in_force())


class Decision(models.Model):
    """The board's decision on a case. Never edited once issued: reconsideration issues a
    new decision that supersedes this one, and both stay readable. The ORM refuses changes
    here, and on PostgreSQL a trigger refuses them to raw SQL too (migration 0004)."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    holding = models.TextField(max_length=1000, help_text="The rule a later reviewer can cite, in a sentence or two.")
    rationale = models.TextField(max_length=50000)
    public_digest = models.TextField(
        blank=True, max_length=5000, help_text="What may be shared beyond the need-to-know list."
    )
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="decisions")
    revision = models.ForeignKey("principles.Revision", on_delete=models.PROTECT, related_name="decisions")
    issued_at = models.DateTimeField()
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    review_by = models.DateField(
        null=True, blank=True, help_text="When a running engagement comes back for continuing review."
    )
    scrutiny = models.TextField(
        blank=True, help_text="Why heightened scrutiny applied (at least two opinions); empty if it did not."
    )
    escalation = models.ForeignKey(
        "reviews.Escalation", null=True, blank=True, on_delete=models.PROTECT, related_name="decisions"
    )

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-id"]

    def __str__(self):
        return f"{self.case.docket}: {self.get_outcome_display()}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("An issued decision is never changed: issue a new one that supersedes it.")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("case-detail", args=[self.case_id]) + f"#decision-{self.pk}"

    def delete(self, *args, **kwargs):
        raise PermissionError("An issued decision is never deleted.")


class ConditionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visibility.need_to_know(user, via="decision__case"))


class Condition(models.Model):
    """An obligation a decision imposes, tracked until it is met or waived."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="conditions")
    text = models.TextField(max_length=2000)
    owner = models.CharField(max_length=200, help_text="Who must meet it.")
    due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=ConditionStatus.choices, default=ConditionStatus.OPEN)
    evidence = models.TextField(blank=True, max_length=5000)

    objects = ConditionQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self):
        return self.text[:60]

    def check_trackable_by(self, user) -> None:
        """Who records progress: the case's filer and decision-maker, legal and admins."""
        if not (
            self.decision.case.is_filer(user)
            or self.decision.decided_by_id == user.pk
            or user.has_role(Role.LEGAL, Role.ADMIN)
        ):
            raise PermissionDenied("Only the case's filer, its decision-maker, legal and admins.")


class Headnote(models.Model):
    """One point of law a decision stands for, in a sentence or two, keyed to the provision
    (and the stance on it) it concerns, and numbered within the decision, so that a later
    decision can rely on, or distinguish, that point alone ("hn 2"). A decision's holding
    is its first headnote until legal or its decision-maker write them (written_by empty).
    Unlike the decision, headnotes are editorial: they are edited in place, and one that a
    citation relies on is kept."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="headnotes")
    number = models.PositiveSmallIntegerField()
    provision = models.ForeignKey("principles.Provision", on_delete=models.PROTECT, related_name="+")
    stance = models.CharField(max_length=30, choices=Stance.choices, blank=True)
    text = models.TextField(max_length=1000)
    written_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField()

    class Meta:
        ordering = ["decision", "number"]
        constraints = [models.UniqueConstraint(fields=["decision", "number"], name="one_headnote_per_number")]

    def __str__(self):
        return f"{self.decision.case.docket} hn {self.number}"


class CitationQuerySet(AppendOnlyQuerySet):
    """Citations as far as a reader may see them: a restricted decision, citing or cited,
    exists only for those cleared for it."""

    def to_visible(self, user):
        """Those citing a decision `user` may see (what a decision cites)."""
        return self.filter(cited__case__in=Case.objects.visible_to(user))

    def from_visible(self, user):
        """Those made by a decision `user` may see (what cites a decision)."""
        return self.filter(citing__case__in=Case.objects.visible_to(user))


class Citation(models.Model):
    """A decision's reliance on an earlier one, on one provision, and how it treats it.
    Made with the citing decision and as final as it is."""

    citing = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="citations")
    cited = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="cited_by")
    provision = models.ForeignKey("principles.Provision", on_delete=models.PROTECT, related_name="+")
    treatment = models.CharField(max_length=20, choices=Treatment.choices)
    reason = models.CharField(max_length=500, help_text="A sentence on why.")
    # The point of law of the cited decision this one treats; none: the decision as a whole.
    headnote = models.ForeignKey(Headnote, null=True, blank=True, on_delete=models.PROTECT, related_name="citations")

    objects = CitationQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        constraints = [
            # Once on a provision for the decision as a whole, and once for each headnote.
            models.UniqueConstraint(
                fields=["citing", "cited", "provision"],
                condition=Q(headnote__isnull=True),
                name="one_citation_per_provision",
            ),
            models.UniqueConstraint(
                fields=["citing", "cited", "headnote"],
                condition=Q(headnote__isnull=False),
                name="one_citation_per_headnote",
            ),
        ]

    def __str__(self):
        point = f" hn {self.headnote.number}" if self.headnote_id else ""
        return f"{self.citing} {self.get_treatment_display().lower()} {self.cited}{point} on {self.provision}"

    @property
    def treated(self) -> str:
        """What the cited decision (or headnote) was, by this citation: "distinguished"."""
        return TREATED[self.treatment]
