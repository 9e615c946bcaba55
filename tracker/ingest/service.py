"""
The ingest service: what happens to a request once the view has parsed and
authenticated it. ``ingest`` splits the body into messages, enriches and
validates each one, stores them in one transaction and broadcasts them to the
live debugger after the commit.

    outcome = await ingest(IngestRequest(source=source, parsed=parsed, body=body, endpoint_type="track"))
    outcome.response_body()  # {"success": True} or with "rejected" and "problems"
"""
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import DatabaseError
from django.utils import timezone

from tracker.conf import trackside_settings
from tracker.models import Rejection, Source
from tracker.validation import ERROR, Problem, validate
from tracker.validation.receipt import problem_from_note, type_mismatch, write_key_conflict
from tracker.validation.timestamps import parse_timestamp

from . import storage
from .enrichment import Receipt, enrich
from .errors import IngestError, StorageUnavailable
from .groupcommit import committer_for_loop
from .messages import (
    Envelope,
    Item,
    PreparedEvent,
    PreparedRejection,
    compact_json,
    content_hash,
    message_id_column,
    split_batch,
    split_single,
)
from .parsing import ParseResult

logger = logging.getLogger(__name__)

# The clock; tests replace it to pin receivedAt.
clock: Callable[[], datetime] = timezone.now


@dataclass
class IngestRequest:
    """A parsed, authenticated ingest request."""

    source: Source
    parsed: ParseResult
    body: bytes
    # The type a single-message endpoint sets, or None for a batch endpoint.
    endpoint_type: str | None = None
    client_ip: str | None = None
    http_path: str = ""
    # Set when the Authorization header chose the source and the body named another key.
    conflicting_write_key: str | None = None
    conflicting_source: Source | None = None


@dataclass
class IngestOutcome:
    batch: storage.Batch
    rejected: list[dict[str, Any]] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)

    def response_body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"success": True}
        if self.rejected or self.problems:
            body["rejected"] = self.rejected
            body["problems"] = self.problems
        return body


def now() -> datetime:
    """Return the clock's time cut to milliseconds, the precision of stored timestamps."""
    moment = clock()
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)


async def ingest(request: IngestRequest) -> IngestOutcome:
    """Store every message of ``request``; return what the 200 body reports.

    Returns after the commit that stored the request; raises StorageUnavailable
    when the database failed, so nothing is acknowledged that was not stored.
    """
    batch = prepare(request)
    await _commit(batch)
    return outcome_of(batch)


async def _commit(batch: storage.Batch) -> None:
    try:
        await committer_for_loop(_broadcast).submit(batch)
    except DatabaseError as error:
        raise StorageUnavailable() from error


def _broadcast(batches) -> object:
    # Looked up at call time, so tests can replace broadcast_batches.
    return broadcast_batches(batches)


def prepare(request: IngestRequest, received_at: datetime | None = None) -> storage.Batch:
    """Split, enrich and validate; the CPU-bound half of ingest, touching no database."""
    received_at = received_at or now()
    if request.endpoint_type is None:
        envelope = split_batch(request.parsed, trackside_settings.MAX_BATCH_MESSAGES)
    else:
        envelope = split_single(request.parsed, request.body)
    receipt = Receipt(
        received_at=received_at,
        client_ip=request.client_ip,
        endpoint_type=request.endpoint_type,
        batch_sent_at=envelope.sent_at,
        batch_context=envelope.context,
        batch_integrations=envelope.integrations,
    )
    batch = storage.Batch(source=request.source, received_at=received_at, events=[], http_path=request.http_path)
    for item in envelope.items:
        rejection = _check_item(item)
        if rejection is not None:
            batch.rejections.append(rejection)
        else:
            batch.events.append(_prepare_event(item, receipt, request, envelope))
    return batch


def _check_item(item: Item) -> PreparedRejection | None:
    limit = trackside_settings.MAX_MESSAGE_BYTES
    if not isinstance(item.message, dict):
        return PreparedRejection(
            item.index,
            "message_not_object",
            f"batch[{item.index}] is a JSON {_json_kind(item.message)}, not an object, so it cannot be an event. "
            'Send each message as an object such as {"type": "track", ...}.',
            item.size,
            compact_json(item.message),
        )
    if item.size > limit:
        return PreparedRejection(
            item.index,
            "message_too_large",
            f"batch[{item.index}] is {item.size} bytes; one message may be at most {limit} bytes "
            f"({limit // 1024} KB). Send less data in this message.",
            item.size,
            item.raw or compact_json(item.message),
        )
    return None


def _json_kind(value: Any) -> str:
    if isinstance(value, list):
        return "array"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bool):
        return "boolean"
    if value is None:
        return "null"
    return "number"


def _prepare_event(item: Item, receipt: Receipt, request: IngestRequest, envelope: Envelope) -> PreparedEvent:
    message: dict[str, Any] = item.message
    problems: list[Problem] = [problem_from_note(note.path, note.kind, note.detail) for note in item.notes]
    problems.extend(_receipt_problems(message, request))
    payload = enrich(message, receipt)
    problems.extend(validate(payload))
    timestamp = parse_timestamp(payload["timestamp"])
    return PreparedEvent(
        index=item.index,
        payload=payload,
        problems=problems,
        content_hash=content_hash(message),
        message_id=message_id_column(payload["messageId"]),
        received_at=receipt.received_at,
        timestamp=timestamp.value if timestamp else receipt.received_at,
        raw=item.raw,
    )


def _receipt_problems(message: dict[str, Any], request: IngestRequest) -> list[Problem]:
    problems = []
    sent_type = message.get("type")
    if request.endpoint_type is not None and sent_type is not None and sent_type != request.endpoint_type:
        problems.append(type_mismatch.problem(
            "type",
            f"The body's type {sent_type!r} disagrees with the endpoint {request.http_path}, so the message was "
            f"stored as {request.endpoint_type!r}. " + type_mismatch.fix,
        ))
    if request.conflicting_write_key is not None:
        other = (
            f'source "{request.conflicting_source.name}"'
            if request.conflicting_source is not None
            else "no source (an unknown key)"
        )
        problems.append(write_key_conflict.problem(
            "",
            f'The Authorization header names source "{request.source.name}" but the body\'s writeKey names {other}; '
            "the header's source was used. " + write_key_conflict.fix,
        ))
    return problems


def outcome_of(batch: storage.Batch) -> IngestOutcome:
    outcome = IngestOutcome(batch)
    for rejection in batch.rejections:
        outcome.rejected.append({"index": rejection.index, "code": rejection.code, "message": rejection.message})
    for prepared in batch.events:
        for problem in prepared.problems:
            if problem.severity == ERROR:
                outcome.problems.append({"index": prepared.index, **problem.as_dict()})
    return outcome


async def record_request_rejection(source: Source, error: IngestError, body: bytes, http_path: str) -> Rejection:
    """Keep a whole-request rejection of a known source, so the debugger can show why nothing arrived."""
    size = error.extra.get("size")
    rejection = PreparedRejection(
        None, error.code, error.message, size if isinstance(size, int) else len(body), body, status=error.status_code,
    )
    batch = storage.Batch(source=source, received_at=now(), events=[], rejections=[rejection], http_path=http_path)
    await _commit(batch)
    logger.info("Rejected request for source %s: %s (%d bytes)", source.name, error.code, len(body))
    return batch.stored_rejections[0]


async def broadcast_batches(batches) -> None:
    from debugger.broadcast import publish_batches_async

    await publish_batches_async(batches)
