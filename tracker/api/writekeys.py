"""
Write key lookup with a short in-process cache.

Every ingest request resolves its write key; caching the lookup for a few
seconds (TRACKSIDE["WRITE_KEY_CACHE_SECONDS"]) keeps the database out of the
hot path, while disabling a source still takes effect within that time.
"""
import logging
import time

from tracker.conf import trackside_settings
from tracker.models import Source

security_logger = logging.getLogger("tracker.security")

_cache: dict[str, tuple[float, Source | None]] = {}
_MAX_CACHED = 10_000
_unknown_count = 0
_last_unknown_log = 0.0
# At most one log line about unknown write keys per this many seconds.
UNKNOWN_LOG_INTERVAL = 10.0


def find_source(write_key: str) -> Source | None:
    """Return the source with this write key, or None; unknown keys are counted and logged."""
    now = time.monotonic()
    cached = _cache.get(write_key)
    if cached is not None and cached[0] > now:
        source = cached[1]
    else:
        source = Source.objects.filter(write_key=write_key).first()
        if len(_cache) >= _MAX_CACHED:
            _cache.clear()
        _cache[write_key] = (now + trackside_settings.WRITE_KEY_CACHE_SECONDS, source)
    if source is None:
        _note_unknown_key(now)
    return source


def forget_cached_keys() -> None:
    """Drop cached lookups, after a source changed."""
    _cache.clear()


def unknown_key_count() -> int:
    return _unknown_count


def _note_unknown_key(now: float) -> None:
    global _unknown_count, _last_unknown_log
    _unknown_count += 1
    if now - _last_unknown_log >= UNKNOWN_LOG_INTERVAL:
        _last_unknown_log = now
        security_logger.warning("Rejected requests with unknown write keys: %d so far", _unknown_count)
