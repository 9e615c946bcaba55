"""Enrichment on receipt: timestamps, ids, context.ip, batch-level fields."""
from datetime import datetime, timezone

import pytest
from django.test import override_settings

from tracker.ingest import service
from tracker.ingest.enrichment import Receipt, enrich
from tracker.models import Event

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2024, 3, 5, 10, 0, 1, 500000, tzinfo=timezone.utc)


@pytest.fixture
def fixed_clock(monkeypatch):
    monkeypatch.setattr(service, "clock", lambda: RECEIVED)
    return RECEIVED


def stored(**where) -> dict:
    return Event.objects.get(**where).payload


def test_received_at_and_timestamp_without_client_times(post, source, fixed_clock):
    post("/v1/track", {"userId": "u_1", "event": "Signed Up"})
    payload = stored()
    assert payload["receivedAt"] == "2024-03-05T10:00:01.500Z"
    assert payload["timestamp"] == "2024-03-05T10:00:01.500Z"
    assert "originalTimestamp" not in payload


def test_skew_corrected_with_message_sent_at(post, source, fixed_clock):
    post("/v1/track", {
        "userId": "u_1", "event": "Signed Up",
        "timestamp": "2024-03-05T09:00:00.000Z", "sentAt": "2024-03-05T09:00:03.000Z",
    })
    payload = stored()
    assert payload["originalTimestamp"] == "2024-03-05T09:00:00.000Z"
    assert payload["sentAt"] == "2024-03-05T09:00:03.000Z"
    assert payload["timestamp"] == "2024-03-05T09:59:58.500Z"


def test_skew_corrected_with_batch_sent_at(post, source, fixed_clock):
    post("/v1/batch", {
        "sentAt": "2024-03-05T10:00:00.000Z",
        "batch": [{"type": "track", "userId": "u_1", "event": "A", "timestamp": "2024-03-05T09:59:59.000Z"}],
    })
    payload = stored()
    assert payload["sentAt"] == "2024-03-05T10:00:00.000Z"
    assert payload["timestamp"] == "2024-03-05T10:00:00.500Z"


def test_message_sent_at_wins_over_batch(post, source, fixed_clock):
    post("/v1/batch", {
        "sentAt": "2030-01-01T00:00:00Z",
        "batch": [{"type": "track", "userId": "u", "event": "A",
                   "timestamp": "2024-03-05T10:00:00Z", "sentAt": "2024-03-05T10:00:00Z"}],
    })
    assert stored()["timestamp"] == "2024-03-05T10:00:01.500Z"


def test_client_time_without_sent_at_is_kept(post, source, fixed_clock):
    post("/v1/track", {"userId": "u", "event": "A", "timestamp": "2023-01-01T00:00:00+02:00"})
    assert stored()["timestamp"] == "2022-12-31T22:00:00.000Z"


@pytest.mark.parametrize("value", [1709632800, "yesterday", "2024-13-45T00:00:00Z", True, {"t": 1}])
def test_unparseable_timestamp_is_error_and_received_at_stands_in(post, source, fixed_clock, value):
    post("/v1/track", {"userId": "u", "event": "A", "timestamp": value, "sentAt": "2024-03-05T10:00:00Z"})
    event = Event.objects.get()
    assert event.payload["originalTimestamp"] == value
    assert event.payload["timestamp"] == "2024-03-05T10:00:01.500Z"
    assert ("originalTimestamp", "error") in {(p["path"], p["severity"]) for p in event.problems}


def test_timestamp_without_zone_is_utc_with_warning(post, source, fixed_clock):
    post("/v1/track", {"userId": "u", "event": "A", "timestamp": "2024-03-05T09:00:00"})
    event = Event.objects.get()
    assert event.payload["timestamp"] == "2024-03-05T09:00:00.000Z"
    assert {"path": "originalTimestamp", "severity": "warning"}.items() <= next(
        p for p in event.problems if p["path"] == "originalTimestamp").items()


def test_extreme_skew_does_not_crash(post, source, fixed_clock):
    response = post("/v1/track", {"userId": "u", "event": "A",
                                  "timestamp": "0001-01-01T00:00:00Z", "sentAt": "9999-12-31T00:00:00Z"})
    assert response.status_code == 200
    event = Event.objects.get()
    assert event.payload["timestamp"] == "0001-01-01T00:00:00.000Z"
    assert "timestamp_out_of_range" in [p["code"] for p in event.problems]


def test_message_id_generated_when_absent(post, source):
    post("/v1/track", {"userId": "u", "event": "A"})
    post("/v1/track", {"userId": "u", "event": "A", "messageId": None})
    ids = [event.payload["messageId"] for event in Event.objects.all()]
    assert len(set(ids)) == 2
    assert all(isinstance(value, str) and 0 < len(value) <= 100 for value in ids)


def test_message_id_kept_when_given(post, source):
    post("/v1/track", {"userId": "u", "event": "A", "messageId": "ajs-next-123"})
    assert Event.objects.get().message_id == "ajs-next-123"


def test_version_set(post, source):
    post("/v1/track", {"userId": "u", "event": "A"})
    assert stored()["version"] == 2


def test_context_ip_from_request(post, source):
    post("/v1/track", {"userId": "u", "event": "A"}, meta={"REMOTE_ADDR": "203.0.113.9"})
    assert stored()["context"]["ip"] == "203.0.113.9"


def test_context_ip_from_message_is_kept(post, source):
    post("/v1/track", {"userId": "u", "event": "A", "context": {"ip": "198.51.100.1"}})
    assert stored()["context"]["ip"] == "198.51.100.1"


def test_forwarded_header_ignored_without_trusted_proxy(client, source):
    from .conftest import basic_auth

    client.post("/v1/t", data='{"userId":"u","event":"A"}', content_type="text/plain",
                headers={"Authorization": basic_auth("wk_web"), "X-Forwarded-For": "192.0.2.7"})
    assert stored()["context"]["ip"] == "127.0.0.1"


@override_settings(TRACKSIDE={"TRUSTED_PROXIES": ["127.0.0.1", "10.0.0.2"]})
def test_forwarded_header_read_from_trusted_proxies(client, source):
    from .conftest import basic_auth

    client.post("/v1/t", data='{"userId":"u","event":"A"}', content_type="text/plain", headers={
        "Authorization": basic_auth("wk_web"),
        # The client wrote the first entry itself; the proxies appended the rest.
        "X-Forwarded-For": "6.6.6.6, 192.0.2.7, 10.0.0.2",
    })
    assert stored()["context"]["ip"] == "192.0.2.7"


def test_batch_context_and_integrations_merged_one_level(post, source):
    post("/v1/batch", {
        "context": {"library": {"name": "batch-lib"}, "locale": "en-US"},
        "integrations": {"All": False, "Mixpanel": True},
        "batch": [
            {"type": "track", "userId": "u", "event": "A", "context": {"locale": "de-DE"}, "integrations": {"Mixpanel": False}},
            {"type": "track", "userId": "u", "event": "B"},
        ],
    })
    first, second = (stored(event_name=name) for name in ("A", "B"))
    assert first["context"]["locale"] == "de-DE"
    assert first["context"]["library"] == {"name": "batch-lib"}
    assert first["integrations"] == {"All": False, "Mixpanel": False}
    assert second["context"]["locale"] == "en-US"
    assert second["integrations"] == {"All": False, "Mixpanel": True}


def test_enrich_never_changes_its_input():
    message = {"type": "track", "event": "A", "context": {"x": 1}, "timestamp": "2024-01-01T00:00:00Z"}
    before = repr(message)
    enrich(message, Receipt(RECEIVED, client_ip="1.2.3.4", batch_context={"y": 2}))
    assert repr(message) == before
