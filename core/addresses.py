from django.conf import settings


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or behind a proxy (BEHIND_PROXY) the address the
    proxy appended last to X-Forwarded-For, the one entry a client cannot forge."""
    if settings.BEHIND_PROXY:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR", "")
