"""
Official SDKs retrying through a fault: each retried message is stored once.

A proxy in front of the live server forwards each message's first attempt to
Trackside (which stores it) but responds to the SDK with a 503, or with a 429 and
``Retry-After: 1``. The SDK retries with the same messageIds; Trackside must
count the retry on the stored event (``duplicate_count``) instead of storing
it again. SDK backoff is the clients' own: both retry a 503 within about a
second and wait out the one-second Retry-After.
"""
import uuid

import pytest

from .clientkit import require_python_package
from .faultproxy import FaultProxy
from .nodekit import ensure_node_packages, run_node_script
from .sdklive import create_source, stored_events

pytestmark = pytest.mark.live

FAULTS = {
    "503": (503, {}),
    "429": (429, {"Retry-After": "1"}),
}


def assert_each_retried_once(proxy: FaultProxy, sent_ids: list[str], fault_status: int) -> None:
    """Check that every message reached Trackside twice, and the SDK got the fault first and 200 second."""
    for message_id in sent_ids:
        attempts = [attempt for attempt in proxy.attempts if message_id in attempt.message_ids]
        received = [attempt.client_status for attempt in attempts]
        assert received == [fault_status, 200], f"{message_id}: the SDK got {received}"
        assert [attempt.upstream_status for attempt in attempts] == [200, 200], message_id


def assert_stored_once_with_one_retry(server, source, sent_ids: list[str]) -> None:
    stored = stored_events(server, source, len(sent_ids))
    assert sorted(stored) == sorted(sent_ids)
    for message_id in sent_ids:
        assert stored[message_id]["duplicate_count"] == 1, message_id


@pytest.mark.parametrize("fault", FAULTS)
def test_python_sdk_retry_stored_once(fault, live_server_process):
    analytics = require_python_package("segment.analytics", "segment-analytics-python")
    server = live_server_process
    source = create_source(server, f"retry-py-{fault}")
    status, headers = FAULTS[fault]
    errors = []
    user_id = f"retry-{uuid.uuid4().hex[:8]}"

    with FaultProxy(server.port, status, headers) as proxy:
        client = analytics.Client(
            write_key=source.write_key, host=proxy.url, max_retries=3,
            on_error=lambda error, batch: errors.append(error),
        )
        sent_ids = []
        for number in range(5):
            queued, message = client.track(user_id=user_id, event="Retry Tested", properties={"number": number})
            assert queued
            sent_ids.append(message["messageId"])
        client.flush()
        client.shutdown()

    assert errors == []
    assert_each_retried_once(proxy, sent_ids, status)
    retry = [attempt for attempt in proxy.attempts if attempt.client_status == 200][0]
    if fault == "503":
        # A 429 with Retry-After puts the batch back on the queue, so its next upload starts a new count.
        assert retry.retry_count_header == "1"
    assert_stored_once_with_one_retry(server, source, sent_ids)


@pytest.mark.parametrize("fault", FAULTS)
def test_node_sdk_retry_stored_once(fault, live_server_process):
    ensure_node_packages()
    server = live_server_process
    source = create_source(server, f"retry-node-{fault}")
    status, headers = FAULTS[fault]

    with FaultProxy(server.port, status, headers) as proxy:
        result = run_node_script("send-events.js", {
            "host": proxy.url, "writeKey": source.write_key, "userId": f"retry-{uuid.uuid4().hex[:8]}",
            "scenario": "batch", "count": 5, "maxRetries": 3,
        })

    assert result["errors"] == []
    assert result["statuses"] == [status, 200]
    sent_ids = [message["messageId"] for message in result["requests"][0]["batch"]]
    assert [message["messageId"] for message in result["requests"][1]["batch"]] == sent_ids
    assert_each_retried_once(proxy, sent_ids, status)
    assert_stored_once_with_one_retry(server, source, sent_ids)
