"""
ISO-8601 timestamps as Segment uses them.

    >>> parse_timestamp("2024-03-05T10:00:00.000Z")
    ParsedTimestamp(value=datetime.datetime(2024, 3, 5, 10, 0, tzinfo=datetime.timezone.utc), has_timezone=True)
    >>> format_timestamp(parse_timestamp("2024-03-05T12:00:00+02:00").value)
    '2024-03-05T10:00:00.000Z'

Only strings are timestamps: numbers (epoch seconds or milliseconds) are not
ISO-8601, so they do not parse. A timestamp without a time zone is read as UTC;
callers report that with ``has_timezone``.
"""
from datetime import datetime, timezone
from functools import lru_cache
from typing import NamedTuple


class ParsedTimestamp(NamedTuple):
    value: datetime
    has_timezone: bool


def parse_timestamp(value: object) -> ParsedTimestamp | None:
    """Parse an ISO-8601 string into an aware UTC datetime; return None if it is not one."""
    if not isinstance(value, str) or not 10 <= len(value) <= 64:
        return None
    return _parse_text(value)


# One ingest request reads the same sentAt and receivedAt for every message of
# a batch, and enrichment and validation read each timestamp more than once.
@lru_cache(maxsize=4096)
def _parse_text(value: str) -> ParsedTimestamp | None:
    text = value.strip()
    if not text[:4].isdigit():
        return None
    try:
        parsed = datetime.fromisoformat(text)
        if parsed.tzinfo is None:
            return ParsedTimestamp(parsed.replace(tzinfo=timezone.utc), False)
        return ParsedTimestamp(parsed.astimezone(timezone.utc), True)
    except (ValueError, OverflowError):
        # OverflowError: an offset that moves year 1 or 9999 out of range.
        return None


@lru_cache(maxsize=1024)
def format_timestamp(value: datetime) -> str:
    """Format an aware datetime the way Segment does: UTC, milliseconds, a Z suffix."""
    utc = value.astimezone(timezone.utc)
    # isoformat, unlike strftime("%Y"), pads years below 1000 to four digits.
    return utc.replace(tzinfo=None).isoformat(timespec="milliseconds") + "Z"
