"""
Write key lookup with a short in-process cache.

Every ingest request resolves its write key. Caching the lookup for a few
seconds (TRACKSIDE["WRITE_KEY_CACHE_SECONDS"]) keeps the database out of the
hot path, and disabling a source still takes effect within that time.
Async views call ``prefetch`` first, so that ``find_source`` in DRF's
(synchronous) authentication step answers from the cache.
"""
import logging
import time

from asgiref.sync import sync_to_async

from tracker.conf import trackside_settings
from tracker.models import Source

security_logger = logging.getLogger("tracker.security")

_cache: dict[str, tuple[float, Source | None]] = {}
_MAX_CACHED = 10_000
_unknown_count = 0
_last_unknown_log = 0.0
# Seconds of validity a prefetched entry must have left.
PREFETCH_MARGIN = 1.0
# At most one log line about unknown write keys per this many seconds.
UNKNOWN_LOG_INTERVAL = 10.0


def _cached(write_key: str, now: float) -> tuple[bool, Source | None]:
    entry = _cache.get(write_key)
    if entry is not None and entry[0] > now:
        return True, entry[1]
    return False, None


def _load(write_key: str, now: float) -> Source | None:
    source = Source.objects.filter(write_key=write_key).first()
    if len(_cache) >= _MAX_CACHED:
        _cache.clear()
    _cache[write_key] = (now + trackside_settings.WRITE_KEY_CACHE_SECONDS, source)
    return source


def find_source(write_key: str) -> Source | None:
    """Return the source with this write key, or None; unknown keys are counted and logged."""
    now = time.monotonic()
    hit, source = _cached(write_key, now)
    if not hit:
        source = _load(write_key, now)
    if source is None:
        _note_unknown_key(now)
    return source


async def prefetch(write_key: str | None) -> None:
    """Make sure ``write_key`` is in the cache, querying the database off the event loop."""
    if not write_key:
        return
    now = time.monotonic()
    # Refresh entries about to expire too: the synchronous lookup that follows
    # must not find the entry expired and query the database on the event loop.
    hit, _ = _cached(write_key, now + PREFETCH_MARGIN)
    if not hit:
        await sync_to_async(_load, thread_sensitive=True)(write_key, now)


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
