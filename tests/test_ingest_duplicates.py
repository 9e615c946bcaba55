"""Deduplication on (source, messageId) within the window."""
from datetime import datetime, timedelta, timezone

import pytest
from django.test import override_settings

from tracker.ingest import service
from tracker.models import Event

pytestmark = pytest.mark.django_db

MESSAGE = {"userId": "u_1", "event": "Plan Upgraded", "messageId": "m-1", "properties": {"plan": "pro"}}


def test_identical_retry_is_counted_not_stored(post, source, broadcasts):
    post("/v1/track", MESSAGE)
    post("/v1/track", {**MESSAGE, "sentAt": "2024-03-05T10:00:00Z"})
    event = Event.objects.get()
    assert event.duplicate_count == 1
    duplicates = broadcasts[1][0].duplicates
    assert duplicates == {0: event.pk}


def test_retry_inside_one_batch_is_counted(post, source):
    post("/v1/batch", {"batch": [{"type": "track", **MESSAGE}, {"type": "track", **MESSAGE}]})
    assert Event.objects.get().duplicate_count == 1


def test_reuse_with_other_content_is_stored_and_flagged(post, source):
    post("/v1/track", MESSAGE)
    post("/v1/track", {**MESSAGE, "event": "Plan Downgraded"})
    first, second = Event.objects.order_by("id")
    assert not [p for p in first.problems if p["code"] == "message_id_reused"]
    flagged = [p for p in second.problems if p["code"] == "message_id_reused"]
    assert flagged and flagged[0]["path"] == "messageId" and flagged[0]["severity"] == "warning"


def test_reuse_inside_one_batch_is_flagged(post, source):
    post("/v1/batch", {"batch": [{"type": "track", **MESSAGE}, {"type": "track", **MESSAGE, "event": "Plan Downgraded"}]})
    assert Event.objects.count() == 2
    assert [p["code"] for p in Event.objects.get(event_name="Plan Downgraded").problems] == ["message_id_reused"]


def test_same_id_from_another_source_is_another_event(post, source, make_source):
    make_source("mobile", "wk_mobile")
    post("/v1/track", MESSAGE)
    post("/v1/track", MESSAGE, write_key="wk_mobile")
    assert Event.objects.count() == 2
    assert all(event.problems == [] for event in Event.objects.all())


@override_settings(TRACKSIDE={"DEDUP_WINDOW_SECONDS": 60})
def test_retry_after_the_window_is_stored_again(post, source, monkeypatch):
    start = datetime(2024, 3, 5, 10, 0, tzinfo=timezone.utc)
    monkeypatch.setattr(service, "clock", lambda: start)
    post("/v1/track", MESSAGE)
    monkeypatch.setattr(service, "clock", lambda: start + timedelta(seconds=61))
    post("/v1/track", MESSAGE)
    monkeypatch.setattr(service, "clock", lambda: start + timedelta(seconds=62))
    post("/v1/track", MESSAGE)
    old, new = Event.objects.order_by("id")
    assert (old.dedup_generation, old.duplicate_count) == (old.pk, 0)
    assert (new.dedup_generation, new.duplicate_count) == (0, 1)
    assert new.problems == []


def test_content_hash_ignores_sent_at_and_write_key(post, source):
    post("/v1/track", {**MESSAGE, "writeKey": "wk_web", "sentAt": "2024-01-01T00:00:00Z"})
    post("/v1/track", {**MESSAGE, "sentAt": "2024-01-01T00:00:05Z"})
    assert Event.objects.get().duplicate_count == 1


def test_duplicate_of_batch_retry_counts_each_message(post, source):
    batch = {"batch": [{"type": "track", **MESSAGE, "messageId": f"m-{i}"} for i in range(3)]}
    post("/v1/batch", batch)
    post("/v1/batch", batch)
    assert Event.objects.count() == 3
    assert sorted(Event.objects.values_list("duplicate_count", flat=True)) == [1, 1, 1]


def test_retried_group_flags_reuse_once(source, monkeypatch):
    from django.db import IntegrityError

    from tracker.ingest import storage
    from tracker.ingest.messages import PreparedEvent

    received = datetime(2024, 3, 5, tzinfo=timezone.utc)

    def prepared(index: int, event: str) -> PreparedEvent:
        payload = {"type": "track", "userId": "u", "event": event, "messageId": "m-9"}
        return PreparedEvent(index, payload, [], f"hash-{event}", "m-9", received, received)

    batch = storage.Batch(source=source, received_at=received, events=[prepared(0, "A"), prepared(1, "B")])
    real_insert = storage.insert_events
    calls = []

    def flaky_insert(rows):
        calls.append(len(rows))
        if len(calls) == 1:
            raise IntegrityError("simulated race with another worker")
        return real_insert(rows)

    monkeypatch.setattr(storage, "insert_events", flaky_insert)
    storage.store([batch])
    assert calls == [2, 2]
    assert [p["code"] for p in Event.objects.get(event_name="B").problems] == ["message_id_reused"]
