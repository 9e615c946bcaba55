"""
Cross-event checks per source, run while a group of batches is stored.

Two rules need the source's history, so they run here and not in the pure
validator: one event name in two spellings (``Report Exported`` and
``report_exported``), and one property of an event name sent with different
JSON types. The history is kept in two tables of counts, so every worker
process sees the same history. Each stored group costs at most two SELECTs
and two upserts, never a query per event:

    check_history(batches)   # inside storage's transaction, before the events are built

Identical retries that deduplication later drops are counted too; they repeat
the same name and types, so they only weigh the mix slightly.
"""
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.db import connection

from tracker.models import EventNameSpelling, PropertyTypeCount
from tracker.validation.catalog import lookup
from tracker.validation.history import (
    event_name_spelling_variant,
    property_type_drift,
    spelling_problem,
    type_drift_problem,
)
from tracker.validation.values import json_type
from tracker.validation.words import spelling_key

from .messages import PreparedEvent

if TYPE_CHECKING:
    from .storage import Batch

HISTORY_CODES = frozenset({event_name_spelling_variant.code, property_type_drift.code})
MAX_COLUMN = 255
# Orders values first seen in this group after every stored row, by position.
GROUP_ORDER = 2**62
# NOTE: properties past this many in one event are not counted, and their types
# go unchecked. The cap keeps events keyed by ids from growing the table without bound.
MAX_COUNTED_PROPERTIES = 200


@dataclass
class TrackedEvent:
    source_id: int
    prepared: PreparedEvent
    name: str
    # Top-level properties that are counted: key -> JSON type (nulls left out).
    types: dict[str, str]


class Tally:
    """Counts by a key and a value, ordered by first sight so ties go to the older value."""

    def __init__(self) -> None:
        self.counts: dict[Any, Counter] = {}
        self.first_seen: dict[Any, dict[str, int]] = {}

    def add(self, key: Any, value: str, count: int, order: int) -> None:
        self.counts.setdefault(key, Counter())[value] += count
        seen = self.first_seen.setdefault(key, {})
        seen[value] = min(seen.get(value, order), order)

    def usual(self, key: Any) -> str:
        counts = self.counts[key]
        return min(counts, key=lambda value: (-counts[value], self.first_seen[key][value]))


def check_history(batches: "Sequence[Batch]") -> None:
    """Add the cross-event problems to the track events of ``batches`` and count them in their sources' history.

    Safe to run again on the same batches when storage retries the group: the
    problems added by an earlier run are replaced.
    """
    tracked = list(_tracked_events(batches))
    if not tracked:
        return
    for event in tracked:
        event.prepared.problems[:] = [p for p in event.prepared.problems if p.code not in HISTORY_CODES]
    now = max(batch.received_at for batch in batches)
    _check_spellings([event for event in tracked if lookup(event.name) is None], now)
    _check_types(tracked, now)


def _tracked_events(batches: "Sequence[Batch]") -> Iterable[TrackedEvent]:
    for batch in batches:
        for prepared in batch.events:
            payload = prepared.payload
            name = payload.get("event")
            if payload.get("type") != "track" or not isinstance(name, str) or not name.strip():
                continue
            if len(name) > MAX_COLUMN:
                continue
            yield TrackedEvent(batch.source.pk, prepared, name, _property_types(payload.get("properties")))


def _property_types(properties: Any) -> dict[str, str]:
    if not isinstance(properties, dict):
        return {}
    types = {}
    for key, value in properties.items():
        if len(types) == MAX_COUNTED_PROPERTIES:
            break
        if value is not None and len(key) <= MAX_COLUMN:
            types[key] = json_type(value)
    return types


def _check_spellings(tracked: list[TrackedEvent], now: datetime) -> None:
    keys = {(event.source_id, spelling_key(event.name)) for event in tracked}
    keys = {key for key in keys if key[1] and len(key[1]) <= MAX_COLUMN}
    if not keys:
        return
    tally = Tally()
    rows = EventNameSpelling.objects.filter(
        source_id__in={source for source, _ in keys}, key__in={key for _, key in keys}
    ).values_list("source_id", "key", "name", "count", "id")
    for source_id, key, name, count, row_id in rows:
        if (source_id, key) in keys:
            tally.add((source_id, key), name, count, row_id)
    group = Counter()
    for position, event in enumerate(tracked):
        key = (event.source_id, spelling_key(event.name))
        if key in keys:
            tally.add(key, event.name, 1, GROUP_ORDER + position)
            group[(event.source_id, key[1], event.name)] += 1
    for event in tracked:
        key = (event.source_id, spelling_key(event.name))
        if key not in keys or len(tally.counts[key]) < 2:
            continue
        usual = tally.usual(key)
        if event.name != usual:
            counts = tally.counts[key]
            event.prepared.problems.append(spelling_problem(event.name, usual, counts[usual], sum(counts.values())))
    _upsert(
        EventNameSpelling,
        ["source_id", "key", "name"],
        ["source_id", "name"],
        [(source_id, key, name, count) for (source_id, key, name), count in sorted(group.items())],
        now,
    )


def _check_types(tracked: list[TrackedEvent], now: datetime) -> None:
    names = {(event.source_id, event.name) for event in tracked if event.types}
    if not names:
        return
    tally = Tally()
    rows = PropertyTypeCount.objects.filter(
        source_id__in={source for source, _ in names}, event_name__in={name for _, name in names}
    ).values_list("source_id", "event_name", "property", "json_type", "count", "id")
    for source_id, name, key, kind, count, row_id in rows:
        if (source_id, name) in names:
            tally.add((source_id, name, key), kind, count, row_id)
    group = Counter()
    for position, event in enumerate(tracked):
        for key, kind in event.types.items():
            tally.add((event.source_id, event.name, key), kind, 1, GROUP_ORDER + position)
            group[(event.source_id, event.name, key, kind)] += 1
    for event in tracked:
        for key, kind in event.types.items():
            mix = tally.counts[(event.source_id, event.name, key)]
            if len(mix) < 2:
                continue
            usual = tally.usual((event.source_id, event.name, key))
            if kind != usual:
                event.prepared.problems.append(type_drift_problem(event.name, key, kind, usual, dict(mix)))
    _upsert(
        PropertyTypeCount,
        ["source_id", "event_name", "property", "json_type"],
        ["source_id", "event_name", "property", "json_type"],
        [(*row, count) for row, count in sorted(group.items())],
        now,
    )


def _upsert(model, columns: list[str], unique: list[str], rows: list[tuple], now: datetime) -> None:
    """Insert count rows, or add their counts to the existing rows, in one statement.

    Rows are sorted by their unique key, so concurrent groups take their row
    locks in the same order, which keeps two groups from deadlocking on PostgreSQL.
    """
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(column) for column in [*columns, "count", "first_seen", "last_seen"])
    placeholders = ", ".join(["%s"] * (len(columns) + 3))
    sql = (
        f"INSERT INTO {table} ({names}) VALUES ({placeholders}) "
        f"ON CONFLICT ({', '.join(quote(column) for column in unique)}) DO UPDATE SET "
        f"{quote('count')} = {table}.{quote('count')} + excluded.{quote('count')}, "
        f"{quote('last_seen')} = excluded.{quote('last_seen')}"
    )
    stamp = connection.ops.adapt_datetimefield_value(now)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*row, stamp, stamp) for row in rows])
