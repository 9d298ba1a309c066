from django.db import models


class PartnerKind(models.TextChoices):
    DOMESTIC_AGENCY = "domestic_agency", "Domestic agency"
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement"
    MILITARY = "military", "Military"
    INTELLIGENCE_AGENCY = "intelligence_agency", "Intelligence agency"
    FOREIGN_GOVERNMENT = "foreign_government", "Foreign government"
    CONTRACTOR = "contractor", "Contractor"
    RESEARCH_INSTITUTION = "research_institution", "Research institution"
    OVERSIGHT_BODY = "oversight_body", "Oversight body"


class MissionArea(models.TextChoices):
    CYBER_DEFENSE = "cyber_defense", "Cyber defence"
    INTELLIGENCE_ANALYSIS = "intelligence_analysis", "Intelligence analysis"
    LAW_ENFORCEMENT = "law_enforcement", "Law enforcement and investigations"
    MILITARY_OPERATIONS = "military_operations", "Military operations"
    TARGETING = "targeting", "Targeting support"
    LOGISTICS = "logistics", "Logistics"
    TRANSLATION = "translation", "Translation and summarisation"
    ADMINISTRATION = "administration", "Administration and services"
    SCIENTIFIC_RESEARCH = "scientific_research", "Scientific research"
    CIVILIAN_HARM = "civilian_harm", "Civilian-harm mitigation"
    BORDER_SECURITY = "border_security", "Border and immigration"
    OVERSIGHT = "oversight", "Oversight and audit"


class Architecture(models.TextChoices):
    CLOUD_ONLY = "cloud_only", "Cloud-only"
    ON_PREMISES = "on_premises", "On-premises"
    CLASSIFIED_ENCLAVE = "classified_enclave", "Classified enclave"
    EDGE_DEVICE = "edge_device", "Edge device"


class DataCategory(models.TextChoices):
    US_PERSON = "us_person", "U.S.-person data"
    COMMERCIALLY_ACQUIRED = "commercially_acquired", "Commercially acquired personal data"
    FOREIGN_INTELLIGENCE = "foreign_intelligence", "Foreign intelligence"
    BIOMETRIC = "biometric", "Biometric data"
    CLASSIFIED = "classified", "Classified information"
    LAW_ENFORCEMENT_RECORDS = "law_enforcement_records", "Law-enforcement records"
    HEALTH = "health", "Health data"
    OPEN_SOURCE = "open_source", "Open-source information"
    NON_PERSONAL = "non_personal", "No personal data"


class HumanJudgment(models.TextChoices):
    HUMAN_DECIDES_EACH = "human_decides_each", "A human decides each action"
    HUMAN_SETS_CONDITIONS = "human_sets_conditions", "A human sets the conditions"
    AUTONOMOUS = "autonomous", "Autonomous"


class ForceProximity(models.TextChoices):
    NONE = "none", "None"
    INDIRECT = "indirect", "Indirect"
    DIRECT_TARGETING = "direct_targeting", "Direct targeting"


class CaseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    IN_REVIEW = "in_review", "In review"
    DECIDED = "decided", "Decided"
    REOPENED = "reopened", "Reopened"
    WITHDRAWN = "withdrawn", "Withdrawn"


# Before the board, from submission until it decides: reviewers file and revise opinions.
AWAITING_DECISION = {CaseStatus.SUBMITTED, CaseStatus.IN_REVIEW, CaseStatus.REOPENED}
# A case's facts can still be corrected until the board has decided it.
EDITABLE_STATUSES = {CaseStatus.DRAFT, CaseStatus.SUBMITTED, CaseStatus.IN_REVIEW, CaseStatus.REOPENED}


class Stance(models.TextChoices):
    """A case's assessment against one provision; which stances apply depends on its kind."""

    ADVANCES = "advances", "Advances"
    IN_TENSION = "in_tension", "In tension"
    NOT_IMPLICATED = "not_implicated", "Not implicated"
    IMPLICATED_MITIGATED = "implicated_mitigated", "Implicated but mitigated"
    CROSSED = "crossed", "Crossed"
    RELEVANT = "relevant", "Relevant"
    CONCERN = "concern", "A concern"
    NOT_ENGAGED = "not_engaged", "Not engaged"


# Stances that say a provision does not bear on the case: not an application of it, and
# nothing the decision rests on (a revision of its wording leaves the decision standing).
NEUTRAL_STANCES = frozenset({Stance.NOT_IMPLICATED, Stance.NOT_ENGAGED})

STANCES_BY_KIND = {
    "principle": [Stance.ADVANCES, Stance.IN_TENSION, Stance.NOT_ENGAGED],
    "red_line": [Stance.NOT_IMPLICATED, Stance.IMPLICATED_MITIGATED, Stance.CROSSED],
    "partner_factor": [Stance.RELEVANT, Stance.CONCERN, Stance.NOT_ENGAGED],
    "safeguard": [Stance.RELEVANT, Stance.CONCERN, Stance.NOT_ENGAGED],
    "legal_authority": [Stance.RELEVANT, Stance.CONCERN, Stance.NOT_ENGAGED],
}


class Outcome(models.TextChoices):
    APPROVED = "approved", "Approved"
    APPROVED_WITH_CONDITIONS = "approved_with_conditions", "Approved with conditions"
    NARROWED = "narrowed", "Narrowed"
    DEFERRED = "deferred", "Deferred"
    DECLINED = "declined", "Declined"
    SUSPENDED = "suspended", "Suspended"
    TERMINATED = "terminated", "Terminated"


# Outcomes that leave an engagement running, and so come back for continuing review.
CONTINUING_OUTCOMES = {Outcome.APPROVED, Outcome.APPROVED_WITH_CONDITIONS, Outcome.NARROWED}


class ConditionStatus(models.TextChoices):
    OPEN = "open", "Open"
    MET = "met", "Met"
    WAIVED = "waived", "Waived"


# The review workflow: each action on a case, the statuses it may start from, where it
# leads, and how a refusal names it.
WORKFLOW = {
    "submit": ({CaseStatus.DRAFT}, CaseStatus.SUBMITTED, "be submitted"),
    "start_review": ({CaseStatus.SUBMITTED, CaseStatus.REOPENED}, CaseStatus.IN_REVIEW, "go into review"),
    "decide": ({CaseStatus.IN_REVIEW}, CaseStatus.DECIDED, "be decided until it is in review"),
    "reopen": ({CaseStatus.DECIDED}, CaseStatus.REOPENED, "be reopened until it is decided"),
    "withdraw": ({CaseStatus.DRAFT, CaseStatus.SUBMITTED}, CaseStatus.WITHDRAWN, "be withdrawn once in review"),
}


class Treatment(models.TextChoices):
    """How a later decision treats an earlier one it cites."""

    FOLLOWS = "follows", "Follows"
    EXTENDS = "extends", "Extends"
    DISTINGUISHES = "distinguishes", "Distinguishes"
    QUESTIONS = "questions", "Questions"
    OVERRULES = "overrules", "Overrules"


# How a cited decision, or one headnote of it, stands after a later one treated it.
TREATED = {
    Treatment.FOLLOWS: "followed",
    Treatment.EXTENDS: "extended",
    Treatment.DISTINGUISHES: "distinguished",
    Treatment.QUESTIONS: "questioned",
    Treatment.OVERRULES: "overruled",
}


class Duty(models.TextChoices):
    REVIEWER = "reviewer", "Reviewer"
    DECISION_MAKER = "decision_maker", "Accountable decision-maker"
