"""
Bookkeeping for events a debugger connection could not send.

A connection skips an event when its client has too many frames
unacknowledged, and loses whole group messages when the channel layer drops
them because the connection's channel is full. Both are counted here, so
the client gets a notice of how many events it missed and where to load them from.
"""
import time
from dataclasses import dataclass


class GapCounter:
    """Count items lost between broadcasts, from each origin's running total."""

    def __init__(self) -> None:
        self.last_sent: dict[str, int] = {}

    def missed(self, origin: str, sent: int, size: int) -> int:
        """Return how many items before this message (``size`` items, ``sent`` in total so far) never arrived."""
        previous = self.last_sent.get(origin)
        if previous is None or sent <= previous:
            self.last_sent[origin] = max(sent, previous or 0)
            return 0
        self.last_sent[origin] = sent
        return max(0, sent - size - previous)


@dataclass
class SkippedRange:
    """Events skipped since the last notice, with the id bounds that select them from history."""

    count: int
    # Exclusive bounds for the read API's after_id and before_id; None leaves that side open.
    after_id: int | None
    before_id: int | None


class SkipTracker:
    """Skipped events of one connection, reported in one notice at most every ``interval`` seconds."""

    def __init__(self, interval: float, clock=time.monotonic) -> None:
        self.interval = interval
        self.clock = clock
        self.last_notice = float("-inf")
        self.total = 0
        self._reset()

    def _reset(self) -> None:
        self.count = 0
        self.lowest_id: int | None = None
        self.highest_id: int | None = None
        self.open_after_id: int | None = None
        self.open_range = False

    def skip_event(self, event_id: int) -> None:
        """Count one event not sent because the client's window was full."""
        self.count += 1
        self.total += 1
        self.lowest_id = event_id if self.lowest_id is None else min(self.lowest_id, event_id)
        self.highest_id = event_id if self.highest_id is None else max(self.highest_id, event_id)

    def skip_unknown(self, count: int, last_known_id: int | None) -> None:
        """Count items lost by the channel layer; their ids are unknown, but all came after ``last_known_id``."""
        self.count += count
        self.total += count
        self.open_after_id = _lower_bound(self.open_after_id, last_known_id) if self.open_range else last_known_id
        self.open_range = True

    def clear(self) -> None:
        """Forget what was skipped, for a new subscription."""
        self._reset()

    def seconds_until_due(self) -> float:
        """Return 0 when a notice may be sent now, else the seconds to wait."""
        return max(0.0, self.last_notice + self.interval - self.clock())

    def take(self) -> SkippedRange | None:
        """Return what was skipped since the last notice and start counting afresh; None when nothing was."""
        if not self.count:
            return None
        if self.open_range:
            after = self.open_after_id
            if self.lowest_id is not None:
                after = _lower_bound(after, self.lowest_id - 1)
            skipped = SkippedRange(self.count, after, None)
        else:
            assert self.lowest_id is not None and self.highest_id is not None
            skipped = SkippedRange(self.count, self.lowest_id - 1, self.highest_id + 1)
        self.last_notice = self.clock()
        self._reset()
        return skipped


def _lower_bound(first: int | None, second: int | None) -> int | None:
    """Return the lower of two exclusive lower bounds, where None means no bound at all."""
    if first is None or second is None:
        return None
    return min(first, second)
