"""
Per-source rate limits for ingest, answered with 429, Retry-After and X-RateLimit-Reset.

The rate is TRACKSIDE["RATE_LIMIT"], in DRF's notation ("1000/s", "50000/m");
None, the default, limits nothing. Counters live in Django's cache, which is
Redis when REDIS_URL is set, so the limit holds across worker processes.
"""
from rest_framework.throttling import SimpleRateThrottle

from tracker.conf import trackside_settings


class SourceRateThrottle(SimpleRateThrottle):
    scope = "source"

    def __init__(self):
        # Read the rate per request rather than once at import, so settings overrides apply.
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)

    def get_rate(self):
        return trackside_settings.RATE_LIMIT

    def allow_request(self, request, view):
        if self.rate is None:
            return True
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        credentials = request.auth
        if credentials is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": credentials.source.pk}
