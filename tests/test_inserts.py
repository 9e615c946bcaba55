"""The ingest hot path's multi-row INSERT writes what the ORM's bulk_create would."""
from datetime import datetime, timezone

import pytest

from tracker.ingest.inserts import EVENT_COLUMNS, insert_events
from tracker.models import Event

pytestmark = pytest.mark.django_db

WHEN = datetime(2024, 3, 5, 10, 0, 1, 123000, tzinfo=timezone.utc)


def row(source, message_id: str) -> dict:
    return {
        "source_id": source.pk, "type": "track", "event_name": "Café ☕ Visited", "user_id": "u_1",
        "anonymous_id": "", "message_id": message_id, "timestamp": WHEN, "received_at": WHEN,
        "payload": {"event": "Café ☕ Visited", "n": 2**70, "f": 19.99, "nested": {"a": [1, None, True]}},
        "problems": [{"code": "x", "severity": "info", "path": "n", "message": "m", "suggestion": "s"}],
        "problem_count": 1, "worst_severity": 1, "raw": b'{"n":NaN}', "duplicate_count": 0,
        "content_hash": "c" * 32, "dedup_generation": 0,
    }


def field_values(event: Event) -> dict:
    values = {column: getattr(event, column) for column in EVENT_COLUMNS}
    values["raw"] = bytes(values["raw"]) if values["raw"] is not None else None
    return values


def test_fast_insert_reads_back_like_bulk_create(source):
    fast, = insert_events([row(source, "fast")])
    orm_row = row(source, "orm")
    slow = Event.objects.bulk_create([Event(**orm_row)])[0].pk
    fast_values = field_values(Event.objects.get(pk=fast))
    slow_values = field_values(Event.objects.get(pk=slow))
    fast_values.pop("message_id"), slow_values.pop("message_id")
    assert fast_values == slow_values
    assert fast_values["payload"]["n"] == 2**70


def test_ids_match_rows_in_order(source):
    rows = [row(source, f"m-{i}") for i in range(250)]
    ids = insert_events(rows)
    stored = dict(Event.objects.filter(pk__in=ids).values_list("pk", "message_id"))
    assert [stored[event_id] for event_id in ids] == [f"m-{i}" for i in range(250)]


def test_columns_cover_the_model():
    model_columns = {field.column for field in Event._meta.concrete_fields if not field.primary_key}
    assert set(EVENT_COLUMNS) == model_columns
