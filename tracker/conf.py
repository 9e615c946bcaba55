"""
Trackside's own settings, read from the TRACKSIDE dict in Django settings.

Example, in settings or a test's override_settings::

    TRACKSIDE = {"MAX_BATCH_BYTES": 1_000_000, "DEDUP_WINDOW_SECONDS": 3600}

Every key has a default below; read values through ``trackside_settings.NAME``
at the point of use, so overrides in tests take effect.
"""
import os
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # Body of a single-message request, in bytes after inflating (Segment: 32 KB).
    "MAX_MESSAGE_BYTES": 32 * 1024,
    # Body of a batch request, in bytes after inflating (Segment: 500 KB).
    "MAX_BATCH_BYTES": 500 * 1024,
    # Messages in one batch (Segment: 2,500).
    "MAX_BATCH_MESSAGES": 2500,
    # Nesting of arrays and objects, counted from the body's root.
    "MAX_JSON_DEPTH": 64,
    # A retry of the same messageId with the same content within this many
    # seconds is counted on the original instead of being stored again.
    "DEDUP_WINDOW_SECONDS": 24 * 3600,
    # Client addresses of proxies whose forwarded header is believed for context.ip.
    "TRUSTED_PROXIES": [],
    # Header a trusted proxy sets, as Django spells it in request.META.
    "FORWARDED_FOR_HEADER": "HTTP_X_FORWARDED_FOR",
    # Bytes of a rejected body kept for the debugger to show.
    "REJECTION_HEAD_BYTES": 1024,
    # Events the debugger websocket sends on connect and on catch-up.
    "DEBUGGER_BACKFILL": 100,
    # Shortest time between two broadcasts of one worker to the debugger's
    # stream group; commits in between are sent together.
    "BROADCAST_INTERVAL_MS": 25,
    # Event frames a debugger client may have unacknowledged before the
    # server starts counting events as skipped.
    "DEBUGGER_WINDOW": 500,
    # Requests per source, in DRF's rate notation ("1000/s"); None for no limit.
    "RATE_LIMIT": None,
    # Events one group commit stores at most; more wait for the next commit.
    "GROUP_COMMIT_MAX_EVENTS": 5000,
    # A standalone analytics.js build to serve at /analytics.js/v1/<writeKey>/analytics.min.js.
    "ANALYTICS_JS_FILE": os.environ.get("TRACKSIDE_ANALYTICS_JS_FILE", ""),
    # Seconds a cached write key lookup stays valid.
    "WRITE_KEY_CACHE_SECONDS": 5.0,
}


class TracksideSettings:
    """Attribute access to TRACKSIDE settings, falling back to DEFAULTS."""

    def __getattr__(self, name: str) -> Any:
        if name not in DEFAULTS:
            raise AttributeError(f"Unknown Trackside setting {name!r}")
        overrides = getattr(settings, "TRACKSIDE", {}) or {}
        return overrides.get(name, DEFAULTS[name])


trackside_settings = TracksideSettings()
