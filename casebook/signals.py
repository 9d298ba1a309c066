"""What the case record tells the apps built on it, and what it does when Django tells it
something (sign-ins go on the audit record)."""

from django.dispatch import Signal

from audit import log as audit

# Sent with `case` whenever the case's record changes (its facts, tags, status, partner or
# decisions), inside the transaction that changes it: the precedent index follows it there,
# so what commits is found and what rolls back never is.
case_changed = Signal()


def record_sign_in(sender, request, user, **kwargs):
    audit.record("auth.signed_in", actor=user, obj=user)


def record_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("auth.signed_out", actor=user, obj=user)
        from casebook.tokens import tokens_revoke  # here: the tokens module builds on the models

        # Signing out ends the person's API sessions too, not only the page's.
        tokens_revoke(user=user, by=user, reason="signed out")


def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    # Only the username: the password, right or wrong, never reaches the log.
    username = str(credentials.get("username", ""))[:150]
    audit.record("auth.sign_in_failed", actor=None, object_repr=username, after={"username": username})
