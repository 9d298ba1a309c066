"""The review workflow, from submission to decision and after: every entry point (pages,
API, tasks, commands, demo data) calls these."""

from reviews.services.assignments import assignment_add, assignment_recuse, escalation_record
from reviews.services.comments import comment_add
from reviews.services.continuing import conditions_flag, reviews_reopen_due
from reviews.services.decisions import (
    condition_snapshot,
    condition_update,
    decision_check_precedent,
    decision_issue,
    decision_snapshot,
)
from reviews.services.headnotes import headnotes_set, headnotes_snapshot
from reviews.services.opinions import opinion_file
from reviews.services.reassessments import reassessment_open
from reviews.services.workflow import case_reopen, case_start_review, case_submit, case_withdraw

__all__ = [
    "assignment_add",
    "assignment_recuse",
    "case_reopen",
    "case_start_review",
    "case_submit",
    "case_withdraw",
    "comment_add",
    "condition_snapshot",
    "condition_update",
    "conditions_flag",
    "decision_check_precedent",
    "decision_issue",
    "decision_snapshot",
    "headnotes_set",
    "headnotes_snapshot",
    "escalation_record",
    "opinion_file",
    "reassessment_open",
    "reviews_reopen_due",
]
