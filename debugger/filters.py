"""
Stream filters of a debugger connection, applied on the server.

The same filters select live items, backfill queries and the read API, so a
view shared by URL shows the same events everywhere:

    {"source": "web", "type": "track", "event": "Order Completed",
     "user": "u_1", "severity": "warning", "q": "coupon"}

``user`` matches userId or anonymousId; ``severity`` keeps events whose worst
problem is at least that severe; ``q`` searches the payload text. Rejections
match ``source``, ``severity`` and ``q`` but never ``type``, ``event`` or
``user``, since they have none.
"""
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast

from tracker.validation import SEVERITY_RANK

FIELDS = ("source", "type", "event", "user", "severity", "q")


class FilterError(ValueError):
    pass


@dataclass(frozen=True)
class StreamFilters:
    source: str = ""
    type: str = ""
    event: str = ""
    user: str = ""
    severity: str = ""
    q: str = ""

    @classmethod
    def from_dict(cls, data: Any) -> "StreamFilters":
        """Build filters from a client's JSON; raise FilterError naming a bad key or value."""
        if data is None:
            return cls()
        if not isinstance(data, dict):
            raise FilterError("filters must be an object such as {\"source\": \"web\"}.")
        unknown = sorted(set(data) - set(FIELDS))
        if unknown:
            raise FilterError(f"Unknown filter {unknown[0]!r}; use {', '.join(FIELDS)}.")
        values = {}
        for key, value in data.items():
            if value is None:
                continue
            if not isinstance(value, str):
                raise FilterError(f"Filter {key!r} must be a string, not {type(value).__name__}.")
            if "\x00" in value:
                raise FilterError(f"Filter {key!r} must not contain the NUL character.")
            values[key] = value.strip()[:255]
        severity = values.get("severity", "")
        if severity and severity not in SEVERITY_RANK:
            raise FilterError(f"Filter 'severity' must be error, warning or info, not {severity!r}.")
        return cls(**values)

    @property
    def min_rank(self) -> int:
        return SEVERITY_RANK.get(self.severity, 0)

    def as_dict(self) -> dict[str, str]:
        return {key: getattr(self, key) for key in FIELDS if getattr(self, key)}

    def matches_event(self, item: dict[str, Any]) -> bool:
        """Match a live item's filter fields (see debugger.broadcast)."""
        if self.source and item["source"] != self.source:
            return False
        if self.type and item["type"] != self.type:
            return False
        if self.event and item["name"] != self.event:
            return False
        if self.user and self.user not in (item["user_id"], item["anonymous_id"]):
            return False
        if self.min_rank and item["severity"] < self.min_rank:
            return False
        if self.q:
            # Items built without a payload span (older senders) are searched whole.
            start, end = item.get("payload_span") or (0, len(item["json"]))
            if self.q.lower() not in item["json"][start:end].lower():
                return False
        return True

    @property
    def shows_rejections(self) -> bool:
        """Whether rejections can match: they have no type, name or user, so those filters hide them."""
        return not (self.type or self.event or self.user)

    def matches_rejection(self, item: dict[str, Any]) -> bool:
        """Match a live rejection item. A rejection counts as worse than any problem, so
        ``severity`` keeps it, and ``q`` searches its JSON (code, message and first bytes)."""
        if not self.shows_rejections:
            return False
        if self.source and item["source"] != self.source:
            return False
        if self.q and self.q.lower() not in item["json"].lower():
            return False
        return True

    def apply(self, events: QuerySet) -> QuerySet:
        """Filter an Event queryset the way ``matches_event`` filters live items."""
        if self.source:
            events = events.filter(source__name=self.source)
        if self.type:
            events = events.filter(type=self.type)
        if self.event:
            events = events.filter(event_name=self.event)
        if self.user:
            events = events.filter(Q(user_id=self.user) | Q(anonymous_id=self.user))
        if self.min_rank:
            events = events.filter(worst_severity__gte=self.min_rank)
        if self.q:
            events = events.annotate(payload_text=Cast("payload", TextField())).filter(payload_text__icontains=self.q)
        return events

    def apply_rejections(self, rejections: QuerySet) -> QuerySet:
        """Filter a Rejection queryset the way ``matches_rejection`` filters live items."""
        if not self.shows_rejections:
            return rejections.none()
        if self.source:
            rejections = rejections.filter(source__name=self.source)
        if self.q:
            text = self.q
            rejections = rejections.filter(Q(code__icontains=text) | Q(message__icontains=text) | Q(head__icontains=text))
        return rejections
