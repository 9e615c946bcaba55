"""
The item shape shared by the read API and the debugger websocket:

    {"id": 42, "source": "web", "received_at": "2024-03-05T10:00:01.000Z",
     "type": "track", "name": "Order Completed", "user_id": "u_1", "anonymous_id": "",
     "message_id": "...", "severity": "error", "duplicate_count": 0,
     "payload": {...}, "problems": [{"code", "severity", "path", "message", "suggestion"?}]}
"""
from typing import Any

from tracker.ingest.messages import json_text
from tracker.models import Event, Rejection
from tracker.validation.timestamps import format_timestamp

SEVERITY_NAMES = {0: None, 1: "info", 2: "warning", 3: "error"}


def event_item(event: Event, source_name: str | None = None) -> dict[str, Any]:
    return {**event_summary_item(event, source_name), "payload": event.payload, "problems": event.problems}


def event_summary_item(event: Event, source_name: str | None = None) -> dict[str, Any]:
    """Return ``event_item`` without ``payload`` and ``problems``; it reads no JSON column."""
    return {
        "id": event.pk,
        "source": source_name or event.source.name,
        "received_at": format_timestamp(event.received_at),
        "type": event.type,
        "name": event.event_name,
        "user_id": event.user_id,
        "anonymous_id": event.anonymous_id,
        "message_id": event.message_id,
        "severity": SEVERITY_NAMES[event.worst_severity],
        "problem_count": event.problem_count,
        "duplicate_count": event.duplicate_count,
    }


def rejection_item(rejection: Rejection, source_name: str | None = None) -> dict[str, Any]:
    return {
        "id": rejection.pk,
        "source": source_name or rejection.source.name,
        "received_at": format_timestamp(rejection.received_at),
        "code": rejection.code,
        "message": rejection.message,
        "index": rejection.index,
        "size": rejection.size,
        "head": rejection.head,
        "http_path": rejection.http_path,
        "status": rejection.status,
    }


def dumps(value: Any) -> str:
    """Encode ``value`` as JSON text, integers beyond 64 bits included."""
    return json_text(value)
