"""Who may use which URL: one map for every page and endpoint of the project.

Keys are URL names (with namespace). A value is PUBLIC, SIGNED_IN, a set of roles for
every method, or a dict from HTTP method to one of those. A URL missing from the map,
or a method missing from its entry, is refused: the map fails closed. Object-level
rules (drafts, need-to-know) are the views' own and answer 404.

Enforced by casebook.middleware.AccessMiddleware for pages and by MappedAccess for the
API (DRF authenticates tokens inside the view, after middleware has run).
"""

from rest_framework.permissions import BasePermission

from audit.denials import record_denial
from core.roles import ADMINS_AND_OVERSIGHT, PARTICIPANTS, Role

PUBLIC = "public"
SIGNED_IN = "signed-in"
ADMIN = frozenset({Role.ADMIN})
ANY_ROLE = frozenset(Role)
# Reviewers file cases, tag them and write opinions.
REVIEWERS = frozenset({Role.REVIEWER})
DECIDERS = frozenset({Role.DECISION_MAKER})
# Who moves a case through review: puts it before the board, reopens it.
LEADS = frozenset({Role.ADMIN, Role.DECISION_MAKER})
# Who can be assigned to a case, and so recuse from one.
ASSIGNABLE = frozenset({Role.REVIEWER, Role.DECISION_MAKER})
# Who re-examines precedent when the framework changes, and who follows that work.
LAWYERS = frozenset({Role.LEGAL})
# Legal, and the decision-maker who issued the decision (the service checks which one).
HEADNOTE_WRITERS = frozenset({Role.LEGAL, Role.DECISION_MAKER})
IMPACT_READERS = frozenset({Role.LEGAL, Role.ADMIN, Role.OVERSIGHT, Role.DECISION_MAKER})
# Who may record progress on a condition; which of them may, for a given one, is the
# condition's own rule (Condition.check_trackable_by).
TRACKERS = frozenset({Role.REVIEWER, Role.DECISION_MAKER, Role.LEGAL, Role.ADMIN})

ACCESS = {
    # Accounts and plumbing
    "login": PUBLIC,
    "logout": {"POST": PUBLIC},
    "home": SIGNED_IN,
    "audit-log": ADMINS_AND_OVERSIGHT,
    # The board's figures: every role, each count over what its reader may see.
    "dashboard": {"GET": ANY_ROLE},
    # Cases and partners: every role reads (need-to-know is applied per case); reviewers file.
    "case-list": ANY_ROLE,
    "search": ANY_ROLE,
    "case-similar-draft": {"POST": ANY_ROLE},
    "saved-search-list": ANY_ROLE,
    "saved-search-delete": {"POST": ANY_ROLE},
    "impact-queue": IMPACT_READERS,
    "impact-review": {"POST": LAWYERS},
    # The monthly precedent digest: every role reads it, as far as need-to-know lets each.
    "digest": {"GET": ANY_ROLE},
    "digest-pdf": {"GET": ANY_ROLE},
    "digest-subscription": {"POST": ANY_ROLE},
    "decision-graph": ANY_ROLE,
    "case-not-similar": {"POST": PARTICIPANTS},
    "case-detail": ANY_ROLE,
    "case-new": REVIEWERS,
    "case-edit": REVIEWERS,
    "case-submit": {"POST": REVIEWERS},
    "case-start-review": {"POST": LEADS},
    "case-assign": {"POST": LEADS},
    "case-recuse": {"POST": ASSIGNABLE},
    "case-opinion": REVIEWERS,
    "case-escalate": {"POST": ADMIN},
    "case-comment": {"GET": ANY_ROLE, "POST": PARTICIPANTS},
    "case-reopen": {"POST": LEADS},
    "case-withdraw": {"POST": REVIEWERS | ADMIN},
    "case-tags": REVIEWERS,
    "case-tag-suggestions": REVIEWERS,
    "case-decide": DECIDERS,
    "case-decide-check": DECIDERS,
    "case-decide-dockets": {"GET": DECIDERS},
    "decision-memo": ANY_ROLE,
    "decision-memo-pdf": {"GET": ANY_ROLE},
    "case-record-pdf": {"GET": ANY_ROLE},
    "condition-update": TRACKERS,
    "notification-list": ANY_ROLE,
    "notification-read": {"POST": ANY_ROLE},
    "notification-read-all": {"POST": ANY_ROLE},
    "partner-list": ANY_ROLE,
    "partner-detail": ANY_ROLE,
    "partner-reassess": {"POST": LEADS},
    "partner-new": ADMIN,
    "partner-edit": ADMIN,
    # The framework
    "principles:current": SIGNED_IN,
    "principles:revision-list": SIGNED_IN,
    "principles:revision-detail": SIGNED_IN,
    "principles:revision-diff": SIGNED_IN,
    "principles:provision-detail": SIGNED_IN,
    "principles:revision-draft": ADMIN,
    "principles:revision-edit": ADMIN,
    "principles:revision-text": ADMIN,
    "principles:revision-add": ADMIN,
    "principles:revision-retire": {"POST": ADMIN},
    "principles:revision-publish": ADMIN,
    "principles:revision-discard": {"POST": ADMIN},
    # API
    "api:token": {"POST": PUBLIC},
    "api:token-revoke": {"POST": SIGNED_IN},
    "api:schema": SIGNED_IN,
    "api:docs": SIGNED_IN,
    "api:me": SIGNED_IN,
    "api:my-work": {"GET": SIGNED_IN},
    "api:search": {"GET": ANY_ROLE},
    "api:similar": {"POST": ANY_ROLE},
    "api:case-similar": {"GET": ANY_ROLE},
    "api:case-tag-suggestions": {"GET": REVIEWERS, "POST": REVIEWERS},
    "api:digest": {"GET": ANY_ROLE},
    "api:dashboard": {"GET": ANY_ROLE},
    "api:digest-subscription": {"POST": ANY_ROLE, "DELETE": ANY_ROLE},
    "api:case-similar-feedback": {"POST": PARTICIPANTS},
    "api:savedsearch-list": {"GET": ANY_ROLE, "POST": ANY_ROLE},
    "api:savedsearch-detail": {"GET": ANY_ROLE, "DELETE": ANY_ROLE},
    "api:impact-list": {"GET": IMPACT_READERS},
    "api:impact-detail": {"GET": IMPACT_READERS},
    "api:impact-review": {"POST": LAWYERS},
    "api:decision-graph": {"GET": ANY_ROLE},
    "api:provision-case-law": {"GET": ANY_ROLE},
    "provision-case-law": ANY_ROLE,
    "api:decision-headnotes": {"GET": ANY_ROLE, "PUT": HEADNOTE_WRITERS},
    "decision-headnotes": {"GET": HEADNOTE_WRITERS, "POST": HEADNOTE_WRITERS},
    "api:provision-list": {"GET": SIGNED_IN},
    "api:provision-detail": {"GET": SIGNED_IN},
    "api:revision-list": {"GET": SIGNED_IN, "POST": ADMIN},
    "api:revision-detail": {"GET": SIGNED_IN, "PATCH": ADMIN, "DELETE": ADMIN},
    "api:revision-diff": {"GET": SIGNED_IN},
    "api:revision-publish": {"POST": ADMIN},
    "api:revision-provision": {"PUT": ADMIN, "DELETE": ADMIN},
    "api:case-list": {"GET": ANY_ROLE, "POST": REVIEWERS},
    "api:case-detail": {"GET": ANY_ROLE, "PATCH": REVIEWERS},
    "api:case-submit": {"POST": REVIEWERS},
    "api:case-start-review": {"POST": LEADS},
    "api:case-assignments": {"GET": ANY_ROLE, "POST": LEADS},
    "api:case-recuse": {"POST": ASSIGNABLE},
    "api:case-opinions": {"GET": ANY_ROLE, "POST": REVIEWERS},
    "api:case-escalation": {"POST": ADMIN},
    "api:case-comments": {"GET": ANY_ROLE, "POST": PARTICIPANTS},
    "api:case-reopen": {"POST": LEADS},
    "api:case-withdraw": {"POST": REVIEWERS | ADMIN},
    "api:case-tags": {"GET": ANY_ROLE, "PUT": REVIEWERS},
    "api:case-decision": {"GET": ANY_ROLE, "POST": DECIDERS},
    "api:case-precedent-check": {"POST": DECIDERS},
    "api:condition-detail": {"GET": ANY_ROLE, "PATCH": TRACKERS},
    "api:partner-list": {"GET": ANY_ROLE, "POST": ADMIN},
    "api:partner-detail": {"GET": ANY_ROLE, "PATCH": ADMIN},
    "api:partner-reassessments": {"GET": ANY_ROLE, "POST": LEADS},
    "api:notification-list": {"GET": ANY_ROLE},
    "api:notification-detail": {"GET": ANY_ROLE},
    "api:notification-read": {"POST": ANY_ROLE},
    "api:auditevent-list": {"GET": ADMINS_AND_OVERSIGHT},
    "api:auditevent-detail": {"GET": ADMINS_AND_OVERSIGHT},
}

# Whole namespaces governed by one rule; the Django admin also checks is_staff and
# model permissions on top of this.
NAMESPACES = {
    "admin": ADMIN,
}


def rule_for(view_name: str, method: str):
    """The rule for one URL name and method, or None when the map does not allow it."""
    entry = ACCESS.get(view_name)
    if entry is None:
        entry = NAMESPACES.get(view_name.split(":", 1)[0]) if ":" in view_name else None
    if isinstance(entry, dict):
        if method in ("HEAD", "OPTIONS") and method not in entry:
            method = "GET"
        return entry.get(method)
    return entry


def is_public(view_name: str, method: str) -> bool:
    return rule_for(view_name, method) == PUBLIC


def is_allowed(user, view_name: str, method: str) -> bool:
    rule = rule_for(view_name, method)
    if rule is None:
        return False
    if rule == PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if rule == SIGNED_IN:
        return True
    return user.has_role(*rule)


class MappedAccess(BasePermission):
    """DRF's side of the access map."""

    def has_permission(self, request, view):
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if is_allowed(request.user, view_name, request.method):
            return True
        if request.user.is_authenticated:
            record_denial(request, view_name)
        return False
