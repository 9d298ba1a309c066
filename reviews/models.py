from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef

from casebook.choices import Outcome
from core.querysets import AppendOnlyQuerySet
from core.roles import Role


class Opinion(models.Model):
    """An assigned reviewer's recommendation on a case. Revisable until the decision issues;
    then it belongs to that decision, beside which it is shown as concurring or dissenting."""

    case = models.ForeignKey("casebook.Case", on_delete=models.PROTECT, related_name="opinions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="opinions")
    decision = models.ForeignKey(
        "casebook.Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="opinions"
    )
    recommended_outcome = models.CharField(max_length=30, choices=Outcome.choices)
    reasoning = models.TextField(max_length=20000)
    proposed_tags = models.JSONField(default=list, blank=True, help_text='[{"code": "RL-1", "stance": "crossed"}]')
    filed_at = models.DateTimeField()
    revised_at = models.DateTimeField()

    class Meta:
        ordering = ["filed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "author"], condition=models.Q(decision__isnull=True), name="one_open_opinion_each"
            )
        ]

    def __str__(self):
        return f"{self.author}: {self.get_recommended_outcome_display()}"

    def concurs(self) -> bool | None:
        return None if self.decision_id is None else self.recommended_outcome == self.decision.outcome


class Escalation(models.Model):
    """An admin's reasoned leave for a case that crosses a red line to be decided otherwise
    than declined or terminated. The decision that uses it displays it."""

    case = models.ForeignKey("casebook.Case", on_delete=models.PROTECT, related_name="escalations")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(max_length=20000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"Escalation of {self.case} by {self.by}"


class Comment(models.Model):
    """A remark on a case by someone taking part in its review. Like the rest of the
    record it is never edited; `mentions` are the people it called in with @username."""

    case = models.ForeignKey("casebook.Case", on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    body = models.TextField(max_length=5000)
    mentions = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="mentioned_in")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.author} on {self.case}: {self.body[:40]}"


class ReassessmentQuerySet(models.QuerySet):
    def awaiting(self, cases):
        """Reassessments with at least one of `cases` (what a reader may see) still waiting
        for its new decision: open, as far as that reader can know."""
        return self.filter(Exists(_waiting(cases, OuterRef("pk"), OuterRef(OuterRef("opened_at")))))


def _waiting(cases, reassessment, opened_at):
    """Those of `cases` in `reassessment` with no decision since it opened: the one rule,
    for a reassessment at hand or (with OuterRefs) for every row of a query."""
    from casebook.models import Decision

    decided_since = Decision.objects.filter(case=OuterRef("pk"), issued_at__gte=opened_at)
    return cases.filter(reassessments=reassessment).filter(~Exists(decided_since))


class Reassessment(models.Model):
    """A partner's fitness called into question: every live engagement with it reopens
    together, and each ends in a new decision (narrowed, suspended, terminated … or
    confirmed). It is open while any of them waits for that decision. Whether it is open is
    always asked of the engagements the reader may see: a restricted one never shows."""

    partner = models.ForeignKey("casebook.Partner", on_delete=models.PROTECT, related_name="reassessments")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reasons = models.TextField(max_length=20000)
    opened_at = models.DateTimeField()
    cases = models.ManyToManyField("casebook.Case", blank=True, related_name="reassessments")

    objects = ReassessmentQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_at", "-id"]

    def __str__(self):
        return f"Reassessment of {self.partner} ({self.opened_at:%Y-%m-%d})"

    def results(self, cases) -> list[tuple]:
        """(case, its latest decision since the reassessment opened, or None) for each of
        `cases` (narrowed by the caller to what its reader may see) in this reassessment."""
        rows = []
        for case in cases.filter(reassessments=self).order_by("docket"):
            decision = case.decisions.filter(issued_at__gte=self.opened_at).order_by("-issued_at", "-id").first()
            rows.append((case, decision))
        return rows

    def waiting(self, cases):
        """Those of `cases` in this reassessment still waiting for their new decision."""
        return _waiting(cases, self, self.opened_at)

    def is_open_for(self, cases) -> bool:
        return self.waiting(cases).exists()


class PrecedentCheck(models.Model):
    """The precedent check a decision was issued after (precedent.check): what it showed the
    decision-maker, and what they answered for each contrary precedent they did not cite.
    Written with the decision and never changed, like it. `shown` names decisions the
    decision-maker could see; a reader is shown only those they may see (`shown_to`)."""

    decision = models.OneToOneField("casebook.Decision", on_delete=models.PROTECT, related_name="precedent_check")
    shown = models.JSONField(help_text="precedent.check.Check.snapshot(): on_point, uncited, contrary, warnings.")
    answers = models.JSONField(default=dict, blank=True, help_text='{"<decision id>": "why it does not apply"}')
    checked_at = models.DateTimeField()

    objects = AppendOnlyQuerySet.as_manager()

    def __str__(self):
        return f"Precedent check of {self.decision}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("A precedent check is kept as it was shown.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("A precedent check is never deleted.")

    def shown_to(self, user) -> dict:
        """What was shown, as far as `user` may see it, each contrary authority with its answer."""
        from casebook.models import Decision

        lists = ("uncited", "contrary", "warnings")
        named = {item["decision"] for key in lists for item in self.shown.get(key, [])}
        visible = set(Decision.objects.visible_to(user).filter(pk__in=named).values_list("pk", flat=True))
        # The count as the decision-maker saw it may include restricted cases: others are
        # told only how many were open to all.
        everything = user.pk == self.decision.decided_by_id or user.has_role(Role.OVERSIGHT)
        view = {"on_point": self.shown.get("on_point" if everything else "on_point_open", 0)}
        for key in lists:
            view[key] = [
                {
                    **item,
                    "answer": self.answers.get(str(item["decision"]), ""),
                    "outcome_label": Outcome(item["outcome"]).label,
                }
                for item in self.shown.get(key, [])
                if item["decision"] in visible
            ]
        return view
