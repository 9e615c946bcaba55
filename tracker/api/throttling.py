"""Per-source rate limits for ingest, answered with 429 and Retry-After."""
from rest_framework.throttling import SimpleRateThrottle


class SourceRateThrottle(SimpleRateThrottle):
    """Limit requests per source; the rate is REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["source"].

    Without a configured rate, nothing is limited.
    """

    scope = "source"

    def get_rate(self):
        return self.THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        credentials = request.auth
        if credentials is None:
            return None
        return self.cache_format % {"scope": self.scope, "ident": credentials.source.pk}
