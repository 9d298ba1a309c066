"""API tokens (django-rest-knox's): issued one per sign-in, stored only as digests, expiring
after REST_KNOX["TOKEN_TTL"], and revoked at sign-out, on a password change and by admins
(Django admin lists them). Each issue and revocation is on the audit record."""

from knox.models import AuthToken

from audit import log as audit
from casebook.models import User


def token_issue(*, user: User) -> tuple[str, AuthToken]:
    """A new token for `user`: the token itself (shown once, never stored) and its record."""
    record, token = AuthToken.objects.create(user=user)
    audit.record("auth.token_issued", actor=user, obj=user, after={"expires": record.expiry})
    return token, record


def tokens_revoke(*, user: User, by: User | None, reason: str, token: AuthToken | None = None) -> int:
    """Revoke one of `user`'s tokens, or all of them; returns how many there were."""
    tokens = AuthToken.objects.filter(user=user)
    if token is not None:
        tokens = tokens.filter(pk=token.pk)
    revoked, _ = tokens.delete()
    if revoked:
        audit.record("auth.tokens_revoked", actor=by, obj=user, after={"count": revoked, "reason": reason})
    return revoked
