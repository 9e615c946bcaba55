"""
Storing prepared events in one transaction, with deduplication.

Deduplication is keyed on (source, messageId) within a window:
- an identical retry (same content hash) is not stored; the open original
  counts it in ``duplicate_count``;
- the same messageId with other content is stored with a ``message_id_reused``
  warning;
- an original older than the window is closed, so the next copy is new.

The unique constraint ``event_dedup`` makes this hold across worker
processes: when two writers race, one gets an IntegrityError and the whole
group is retried, and the retry reads the other writer's row.
"""
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet

from tracker.conf import trackside_settings
from tracker.models import Event, Rejection, Source
from tracker.validation import worst_severity
from tracker.validation.receipt import message_id_reused

from . import history
from .inserts import StoredEvent, insert_events
from .messages import PreparedEvent, PreparedRejection, column_text

logger = logging.getLogger(__name__)

# Retries of a group whose insert lost a race with another worker.
MAX_ATTEMPTS = 3


@dataclass
class Batch:
    """Everything one request contributes to a commit."""

    source: Source
    received_at: datetime
    events: list[PreparedEvent]
    rejections: list[PreparedRejection] = field(default_factory=list)
    http_path: str = ""
    # Filled by store(): per event index, the stored event, or the id of the
    # original an identical retry was counted on.
    stored: dict[int, StoredEvent] = field(default_factory=dict)
    duplicates: dict[int, int] = field(default_factory=dict)
    stored_rejections: list[Rejection] = field(default_factory=list)


def store(batches: Sequence[Batch]) -> None:
    """Store ``batches`` in one transaction, committed when this returns."""
    for attempt in range(1, MAX_ATTEMPTS + 1):
        try:
            with transaction.atomic():
                _store_once(batches)
            return
        except IntegrityError:
            if attempt == MAX_ATTEMPTS:
                raise
            logger.info("Deduplication race on attempt %d; retrying the group", attempt)
            for batch in batches:
                batch.stored.clear()
                batch.duplicates.clear()
                batch.stored_rejections.clear()


def _store_once(batches: Sequence[Batch]) -> None:
    history.check_history(batches)
    window = timedelta(seconds=trackside_settings.DEDUP_WINDOW_SECONDS)
    open_rows = _open_rows(batches)
    to_close: list[int] = []
    counts: dict[int, int] = {}
    new_rows: list[tuple[Batch, PreparedEvent, dict]] = []
    # Rows of this group by deduplication key, for retries inside one group.
    pending: dict[tuple[int, str, str], dict] = {}
    pending_ids: set[tuple[int, str]] = set()
    retried_in_group: list[tuple[Batch, int, tuple[int, str, str]]] = []

    for batch in batches:
        source_id = batch.source.pk
        for prepared in batch.events:
            # A retried group starts again from the problems found before storage.
            prepared.problems[:] = [p for p in prepared.problems if p.code != message_id_reused.code]
            key = (source_id, prepared.message_id, prepared.content_hash)
            if key in pending:
                pending[key]["duplicate_count"] += 1
                retried_in_group.append((batch, prepared.index, key))
                continue
            fresh = []
            for row in open_rows.get((source_id, prepared.message_id), []):
                if prepared.received_at - row["received_at"] > window:
                    to_close.append(row["id"])
                else:
                    fresh.append(row)
            open_rows[(source_id, prepared.message_id)] = fresh
            same = next((row for row in fresh if row["content_hash"] == prepared.content_hash), None)
            if same is not None:
                counts[same["id"]] = counts.get(same["id"], 0) + 1
                batch.duplicates[prepared.index] = same["id"]
                continue
            if fresh or (source_id, prepared.message_id) in pending_ids:
                prepared.problems.insert(0, message_id_reused.problem(
                    "messageId",
                    f"messageId {prepared.message_id!r} was already used by another message of this source with "
                    "different content. " + message_id_reused.fix,
                ))
            row = _event_row(source_id, prepared)
            pending[key] = row
            pending_ids.add((source_id, prepared.message_id))
            new_rows.append((batch, prepared, row))

    if to_close:
        Event.objects.filter(id__in=to_close).update(dedup_generation=F("id"))
    ids = insert_events([row for _, _, row in new_rows])
    for (batch, prepared, row), event_id in zip(new_rows, ids):
        row["id"] = event_id
        batch.stored[prepared.index] = _stored_event(batch.source, event_id, row)
    for batch, index, key in retried_in_group:
        batch.duplicates[index] = pending[key]["id"]
    for event_id, count in counts.items():
        Event.objects.filter(id=event_id).update(duplicate_count=F("duplicate_count") + count)
    _store_rejections(batches)


def _open_rows(batches: Sequence[Batch]) -> dict[tuple[int, str], list[dict]]:
    """Fetch the open events that share a (source, messageId) with the group."""
    wanted: dict[int, set[str]] = {}
    for batch in batches:
        wanted.setdefault(batch.source.pk, set()).update(event.message_id for event in batch.events)
    rows: dict[tuple[int, str], list[dict]] = {}
    for source_id, message_ids in wanted.items():
        if not message_ids:
            continue
        for row in open_events_query(source_id, message_ids):
            rows.setdefault((source_id, row["message_id"]), []).append(row)
    return rows


def open_events_query(source_id: int, message_ids: Iterable[str]) -> QuerySet:
    """Return the open events of a source with these messageIds, as dicts."""
    # No ORDER BY: the model's default order ("-id") would lead the planner
    # to scan the source's events instead of probing the deduplication index.
    return (
        Event.objects.filter(source_id=source_id, message_id__in=list(message_ids), dedup_generation=0)
        .order_by()
        .values("id", "message_id", "content_hash", "received_at")
    )


def _event_row(source_id: int, prepared: PreparedEvent) -> dict:
    payload = prepared.payload
    kind = payload.get("type")
    name = None
    if kind == "track":
        name = payload.get("event")
    elif kind in ("page", "screen"):
        name = payload.get("name")
    problems = [problem.as_dict() for problem in prepared.problems]
    return {
        "source_id": source_id,
        "type": kind[:20] if isinstance(kind, str) else "",
        "event_name": column_text(name) if isinstance(name, str) else "",
        "user_id": column_text(payload.get("userId")),
        "anonymous_id": column_text(payload.get("anonymousId")),
        "message_id": prepared.message_id,
        "timestamp": prepared.timestamp,
        "received_at": prepared.received_at,
        "payload": payload,
        "problems": problems,
        "problem_count": len(problems),
        "worst_severity": worst_severity(prepared.problems),
        "raw": prepared.raw,
        "duplicate_count": 0,
        "content_hash": prepared.content_hash,
        "dedup_generation": 0,
    }


def _stored_event(source: Source, event_id: int, row: dict) -> StoredEvent:
    return StoredEvent(pk=event_id, source=source, **{name: row[name] for name in StoredEvent.ROW_FIELDS})


def _store_rejections(batches: Sequence[Batch]) -> None:
    rows = []
    owners = []
    for batch in batches:
        for rejection in batch.rejections:
            rows.append(rejection_row(batch.source, rejection, batch.http_path, batch.received_at))
            owners.append(batch)
    if not rows:
        return
    for batch, row in zip(owners, Rejection.objects.bulk_create(rows)):
        batch.stored_rejections.append(row)


def rejection_row(source: Source, rejection: PreparedRejection, http_path: str, received_at: datetime) -> Rejection:
    head = rejection.head[: trackside_settings.REJECTION_HEAD_BYTES]
    return Rejection(
        source=source,
        received_at=received_at,
        code=rejection.code,
        message=rejection.message,
        index=rejection.index,
        size=rejection.size,
        head=head.decode("utf-8", errors="replace").replace("\x00", "\ufffd"),
        http_path=http_path[:100],
        status=rejection.status,
    )
