from django.conf import settings
from django.db import models

from casebook import visibility
from casebook.choices import Architecture, MissionArea, Outcome
from precedent.choices import AlertFrequency

# The tables keep the names they had when these models were the casebook app's.


class SearchEntry(models.Model):
    """One searchable precedent: a decision with its case, or a case not yet decided. Derived
    from the records by precedent.search, in the same transaction as the change it reflects;
    the search engine's index follows it through the change feed (IndexChange)."""

    case = models.ForeignKey("casebook.Case", on_delete=models.CASCADE, related_name="search_entries")
    decision = models.OneToOneField(
        "casebook.Decision", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Need-to-know, as the engine applies it: Case.is_open_to_all, stored (casebook.visibility);
    # when false, only the people Case.objects.involving names (and oversight) see the entry.
    open_to_all = models.BooleanField()
    issued_at = models.DateTimeField(null=True, blank=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=30, choices=Outcome.choices, blank=True)
    partner = models.ForeignKey("casebook.Partner", on_delete=models.CASCADE, related_name="+")
    country = models.CharField(max_length=100)
    mission_area = models.CharField(max_length=30, choices=MissionArea.choices)
    architecture = models.CharField(max_length=30, choices=Architecture.choices)
    # The citator's flag as the whole board may see it (precedent.citator), for the facet.
    precedent = models.CharField(max_length=30, blank=True)
    title = models.TextField()
    holding = models.TextField(blank=True)
    proposed_use = models.TextField()
    rationale = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        db_table = "casebook_searchentry"
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["issued_at"]), models.Index(fields=["open_to_all"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(decision__isnull=True), name="one_undecided_entry_per_case"
            )
        ]

    def __str__(self):
        return f"{self.case.docket or 'Draft'} {self.get_outcome_display() or 'undecided'}"


class IndexChange(models.Model):
    """A change to a case's entries, written in the change's own transaction, waiting for the
    search engine to apply it (precedent.search.feed); deleted once applied. Not a foreign
    key: the change that deletes a case must reach the engine too."""

    id = models.BigAutoField(primary_key=True)
    case_id = models.BigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"Change to case #{self.case_id}"


class SimilarityFeedback(models.Model):
    """A reviewer's mark that a suggested decision is not similar to a case after all. It
    is shown to everyone who sees the pair, and demotes the pair from then on."""

    case = models.ForeignKey("casebook.Case", on_delete=models.CASCADE, related_name="similarity_feedback")
    similar_case = models.ForeignKey("casebook.Case", on_delete=models.CASCADE, related_name="+")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "casebook_similarityfeedback"
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["case", "similar_case", "by"], name="one_mark_per_pair_and_person"),
        ]

    def __str__(self):
        return f"{self.similar_case} is not like {self.case} ({self.by})"


class FittedWeights(models.Model):
    """The weights of similar decisions' fusion (precedent.search.fusion.Weights) as
    refitted on the casebook's own judgements: the precedents its decisions cited, and the
    suggestions reviewers marked "not similar" (precedent.search.fitting). Kept only when
    they agree better with judgements they were not fitted on; the newest of each kind is
    used, and until there is one, the weights chosen on the relevance set."""

    tagged = models.BooleanField(help_text="For a tagged case, or for a draft not tagged yet.")
    semantic = models.BooleanField(help_text="With closeness in meaning, or without it.")
    weights = models.JSONField()
    judged = models.PositiveIntegerField(help_text="How many cases' judgements they were fitted on.")
    before = models.FloatField(help_text="Agreement with held-out judgements of the weights they replace.")
    after = models.FloatField(help_text="Agreement with held-out judgements of these weights.")
    fitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-fitted_at", "-id"]
        verbose_name_plural = "fitted weights"

    def __str__(self):
        kind = "tagged cases" if self.tagged else "drafts"
        kind += "" if self.semantic else " (without meaning)"
        return f"Weights for {kind} fitted on {self.judged} cases ({self.before:.3f} → {self.after:.3f})"


class SavedSearch(models.Model):
    """A search its owner keeps, with its words and filters as the search page's query
    string; when a newly issued decision matches it, the owner is told."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches")
    name = models.CharField(max_length=200)
    query = models.CharField(max_length=2000, help_text="The search's query string: q=…&outcome=…")
    frequency = models.CharField(max_length=12, choices=AlertFrequency.choices, default=AlertFrequency.IMMEDIATELY)
    # A daily or weekly round-up's: the decisions issued up to here have been told of.
    told_until = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        db_table = "casebook_savedsearch"
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="one_saved_search_per_name")]

    def __str__(self):
        return f"{self.owner}: {self.name}"


class ImpactItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(visibility.need_to_know(user, via="decision__case"))

    def listed(self):
        """With what a list shows of each: its revision, case, reviewer and stances."""
        return self.select_related("revision", "decision__case", "reviewed_by").prefetch_related(
            "decision__case__tags__provision"
        )


class ImpactItem(models.Model):
    """A decision in force that relied on provisions a newly published revision changed,
    queued for legal to re-examine and mark done."""

    revision = models.ForeignKey("principles.Revision", on_delete=models.PROTECT, related_name="impact")
    decision = models.ForeignKey("casebook.Decision", on_delete=models.PROTECT, related_name="impact")
    provisions = models.CharField(max_length=500, help_text="The changed provisions it relied on, by code.")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, max_length=5000)

    objects = ImpactItemQuerySet.as_manager()

    class Meta:
        db_table = "casebook_impactitem"
        ordering = ["reviewed_at", "-revision__number", "id"]
        constraints = [models.UniqueConstraint(fields=["revision", "decision"], name="one_impact_item_per_decision")]

    def __str__(self):
        return f"{self.revision}: {self.decision}"

    @property
    def stances(self) -> list[dict[str, str]]:
        """The stance the case took on each changed provision it relied on."""
        codes = self.provisions.split(", ")
        return [
            {"code": tag.provision.code, "stance": tag.stance, "label": tag.get_stance_display()}
            for tag in self.decision.case.tags.all()
            if tag.provision.code in codes
        ]


class CaseEmbedding(models.Model):
    """A case's sentence embedding (precedent.search.semantic), kept with the digest of the
    text it was computed from, so an unchanged case is never embedded again."""

    case = models.OneToOneField("casebook.Case", on_delete=models.CASCADE, related_name="embedding")
    model = models.CharField(max_length=100)
    digest = models.CharField(max_length=64)
    vector = models.BinaryField(help_text="float32 values, little-endian")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        db_table = "casebook_caseembedding"

    def __str__(self):
        return f"Embedding of {self.case}"


class DigestSubscription(models.Model):
    """Someone who receives the monthly precedent digest by e-mail (precedent.digest), built
    from what they may see."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscription")
    created_at = models.DateTimeField()

    def __str__(self):
        return f"{self.user}: the monthly digest"


class DigestSent(models.Model):
    """A month's digest sent to one subscriber, so a retried task never sends it twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    month = models.CharField(max_length=7, help_text="YYYY-MM")
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "month"], name="one_digest_per_month")]

    def __str__(self):
        return f"{self.user}: {self.month}"
