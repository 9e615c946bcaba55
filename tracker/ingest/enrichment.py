"""
Server-side enrichment of one message, following Segment's rules.

    >>> received = datetime(2024, 3, 5, 10, 0, 1, tzinfo=timezone.utc)
    >>> enriched = enrich({"type": "track", "event": "Signed Up", "timestamp": "2024-03-05T10:00:00Z",
    ...                    "sentAt": "2024-03-05T10:00:02Z"}, Receipt(received))
    >>> enriched["originalTimestamp"], enriched["timestamp"]
    ('2024-03-05T10:00:00Z', '2024-03-05T09:59:59.000Z')

- ``receivedAt``: server time on arrival.
- ``originalTimestamp``: the client's ``timestamp`` as sent.
- ``timestamp``: ``receivedAt - (sentAt - originalTimestamp)`` when both client
  times parse; the client time alone without ``sentAt``; ``receivedAt`` when
  the client time is missing or does not parse.
- ``sentAt``: the message's own, or the batch's.
- ``messageId``: generated when absent; ``version``: 2 when absent.
- ``context.ip``: the client address when the message has none.
- Batch-level ``context`` and ``integrations``: merged one level deep; the
  message's own keys win.

Plain Python: the caller passes in the time and the client address.
"""
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tracker.validation.timestamps import format_timestamp, parse_timestamp

API_VERSION = 2


@dataclass(frozen=True)
class Receipt:
    """What the server knows about the request a message arrived in."""

    received_at: datetime
    client_ip: str | None = None
    # The type a single-message endpoint sets; None for batches.
    endpoint_type: str | None = None
    # The batch's own sentAt, context and integrations.
    batch_sent_at: Any = None
    batch_context: Any = None
    batch_integrations: Any = None


def generate_message_id() -> str:
    return f"trackside-{uuid.uuid4()}"


def enrich(message: dict[str, Any], receipt: Receipt) -> dict[str, Any]:
    """Return a new dict: ``message`` with the server's fields added."""
    enriched = dict(message)
    enriched.pop("writeKey", None)
    _merge_batch_object(enriched, "context", receipt.batch_context)
    _merge_batch_object(enriched, "integrations", receipt.batch_integrations)

    if receipt.endpoint_type is not None:
        enriched["type"] = receipt.endpoint_type
    if enriched.get("messageId") is None:
        enriched["messageId"] = generate_message_id()
    if enriched.get("sentAt") is None and receipt.batch_sent_at is not None:
        enriched["sentAt"] = receipt.batch_sent_at

    _set_timestamps(enriched, receipt.received_at)
    enriched.setdefault("version", API_VERSION)
    _set_client_ip(enriched, receipt.client_ip)
    return enriched


def _merge_batch_object(message: dict[str, Any], field: str, batch_value: Any) -> None:
    if not isinstance(batch_value, dict) or not batch_value:
        return
    own = message.get(field)
    if own is None:
        message[field] = dict(batch_value)
    elif isinstance(own, dict):
        message[field] = {**batch_value, **own}


def _set_timestamps(message: dict[str, Any], received_at: datetime) -> None:
    if message.get("timestamp") is not None:
        message["originalTimestamp"] = message["timestamp"]
    original = parse_timestamp(message.get("originalTimestamp"))
    sent = parse_timestamp(message.get("sentAt"))
    if original is None:
        corrected = received_at
    elif sent is None:
        corrected = original.value
    else:
        try:
            corrected = received_at - (sent.value - original.value)
        except OverflowError:
            # A skew of thousands of years; the client time is reported as out of range instead.
            corrected = original.value
    message["timestamp"] = format_timestamp(corrected)
    message["receivedAt"] = format_timestamp(received_at)


def _set_client_ip(message: dict[str, Any], client_ip: str | None) -> None:
    if not client_ip:
        return
    context = message.get("context")
    if context is None:
        message["context"] = {"ip": client_ip}
    elif isinstance(context, dict) and context.get("ip") is None:
        message["context"] = {**context, "ip": client_ip}


def corrected_timestamp(message: dict[str, Any]) -> datetime | None:
    """Return the enriched message's ``timestamp`` as a datetime."""
    parsed = parse_timestamp(message.get("timestamp"))
    return parsed.value if parsed else None
