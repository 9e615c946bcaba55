"""
Multi-row INSERTs of events through Django's database connection.

This is the one place where ingest writes rows without the ORM's
``bulk_create``. Measured on the 2-core development machine (SQLite, groups of
100 events): ``bulk_create`` took 116 to 142 µs of CPU per event, most of it
building model instances and preparing each field's value, while one
``INSERT ... VALUES (...), (...) ... RETURNING id`` of the same rows took 39 to
52 µs. The columns come from the Event model and are checked against it on
import; ``tests/test_inserts.py`` checks that a row written here reads back
through the ORM exactly as ``bulk_create`` would have written it.
"""
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from tracker.models import Event, Source

from .messages import json_text

# Column order of every row tuple; must name each concrete field of Event but the id.
EVENT_COLUMNS = (
    "source_id", "type", "event_name", "user_id", "anonymous_id", "message_id", "timestamp", "received_at",
    "payload", "problems", "problem_count", "worst_severity", "raw", "duplicate_count", "content_hash",
    "dedup_generation",
)
JSON_COLUMNS = frozenset({"payload", "problems"})
# Unique among the rows one group inserts (deduplication keeps one row per key).
KEY_COLUMNS = ("source_id", "message_id", "content_hash")
DATETIME_COLUMNS = frozenset({"timestamp", "received_at"})
# Rows per statement, well under SQLite's 32,766 and PostgreSQL's 65,535 parameters.
ROWS_PER_STATEMENT = 1000


def _check_columns() -> None:
    model_columns = {field.column for field in Event._meta.concrete_fields if not field.primary_key}
    if model_columns != set(EVENT_COLUMNS):
        raise RuntimeError(
            f"tracker.ingest.inserts.EVENT_COLUMNS is out of date with the Event model: "
            f"missing {sorted(model_columns - set(EVENT_COLUMNS))}, unknown {sorted(set(EVENT_COLUMNS) - model_columns)}"
        )


_check_columns()


@dataclass(slots=True)
class StoredEvent:
    """An event as stored by this group, with the attributes of Event that ingest and the debugger read."""

    pk: int
    source: Source
    type: str
    event_name: str
    user_id: str
    anonymous_id: str
    message_id: str
    timestamp: datetime
    received_at: datetime
    payload: dict[str, Any]
    problems: list[dict[str, Any]]
    problem_count: int
    worst_severity: int
    duplicate_count: int
    content_hash: str

    # The fields filled from the row dict that ingest inserts.
    ROW_FIELDS = (
        "type", "event_name", "user_id", "anonymous_id", "message_id", "timestamp", "received_at", "payload",
        "problems", "problem_count", "worst_severity", "duplicate_count", "content_hash",
    )

    @property
    def id(self) -> int:
        return self.pk


def insert_events(rows: list[dict[str, Any]]) -> list[int]:
    """INSERT rows (column name to Python value) in order; return their new ids in the same order."""
    ids: list[int] = []
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        ids.extend(_insert_chunk(rows[start : start + ROWS_PER_STATEMENT]))
    return ids


def _insert_chunk(rows: list[dict[str, Any]]) -> list[int]:
    adapt_datetime = connection.ops.adapt_datetimefield_value
    json_placeholder = "%s::jsonb" if connection.vendor == "postgresql" else "%s"
    row_sql = "(" + ", ".join(json_placeholder if c in JSON_COLUMNS else "%s" for c in EVENT_COLUMNS) + ")"
    params: list[Any] = []
    # The rows of one request share receivedAt, so each datetime is adapted once.
    adapted: dict[datetime, Any] = {}
    for row in rows:
        for column in EVENT_COLUMNS:
            value = row[column]
            if column in JSON_COLUMNS:
                value = json_text(value)
            elif column in DATETIME_COLUMNS:
                if value not in adapted:
                    adapted[value] = adapt_datetime(value)
                value = adapted[value]
            params.append(value)
    quote = connection.ops.quote_name
    returning = ", ".join(quote(c) for c in ("id", *KEY_COLUMNS))
    sql = (
        f"INSERT INTO {quote(Event._meta.db_table)} ({', '.join(quote(c) for c in EVENT_COLUMNS)}) "
        f"VALUES {', '.join([row_sql] * len(rows))} RETURNING {returning}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        returned = cursor.fetchall()
    # SQLite does not promise RETURNING rows in VALUES order, so ids are matched
    # back by the deduplication key, which is unique among the rows of a group.
    ids_by_key = {tuple(row[1:]): row[0] for row in returned}
    return [ids_by_key[tuple(row[column] for column in KEY_COLUMNS)] for row in rows]
