"""The visitor's IP address, as far as it can be trusted."""

from django.conf import settings


def client_ip(request):
    """REMOTE_ADDR, or with NUM_PROXIES trusted proxies in front, the address the
    outermost of them saw (X-Forwarded-For entries further left can be forged)."""
    hops = settings.NUM_PROXIES
    if hops:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "")
