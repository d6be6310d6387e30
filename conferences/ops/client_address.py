"""The address a request came from, as the failed-login lock (django-axes) counts it.

Behind PODIUM_PROXY_COUNT proxies of our own (nginx, a load balancer), REMOTE_ADDR is the
nearest proxy's. Each proxy appends the address it saw to X-Forwarded-For, so the client's is
the PODIUM_PROXY_COUNT-th entry from the right; entries further left are whatever the client
chose to send and are never trusted.
"""

from django.conf import settings


def client_address(request) -> str | None:
    hops = settings.PODIUM_PROXY_COUNT
    if hops:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")
