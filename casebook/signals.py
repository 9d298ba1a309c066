"""What casebook does when others tell it something: sign-ins go on the audit record; a
newly published revision queues the decisions resting on what it changed."""

from audit import log as audit
from casebook import services


def record_sign_in(sender, request, user, **kwargs):
    audit.record("auth.signed_in", actor=user, obj=user)


def record_sign_out(sender, request, user, **kwargs):
    if user is not None:
        audit.record("auth.signed_out", actor=user, obj=user)


def record_failed_sign_in(sender, credentials, request=None, **kwargs):
    # Only the username: the password, right or wrong, never reaches the log.
    username = str(credentials.get("username", ""))[:150]
    audit.record("auth.sign_in_failed", actor=None, object_repr=username, after={"username": username})


def queue_impact(sender, revision, changed, **kwargs):
    services.impact_queue_build(revision=revision, changed=changed)
