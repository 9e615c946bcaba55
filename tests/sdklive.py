"""
Sources and stored-event checks shared by the tests that drive official SDKs at a live server.

Each test sends to a source of its own, so the number of events stored there
is exactly the number its SDK sent.
"""
import time
import uuid
from dataclasses import dataclass

from .livekit import api_get_all, wait_for_events
from .payloadkit import payload_differences

# Time for requests still in flight to land after the expected count was reached.
SETTLE_SECONDS = 0.5


@dataclass(frozen=True)
class LiveSource:
    name: str
    write_key: str


def create_source(server, prefix: str) -> LiveSource:
    """Create a source on the live server with a unique name starting with ``prefix``."""
    name = f"{prefix}-{uuid.uuid4().hex[:8]}"
    write_key = server.manage("create_source", name).strip().splitlines()[-1]
    return LiveSource(name, write_key)


def stored_events(server, source: LiveSource, expected: int, timeout: float = 30.0) -> dict[str, dict]:
    """Wait for ``expected`` events in ``source``; return every stored item by messageId.

    Reads once more after a short pause, so events that arrive late or twice
    show up in the returned count.
    """
    path = f"/api/events/?source={source.name}&limit=1000"
    wait_for_events(server, path, expected, timeout=timeout)
    time.sleep(SETTLE_SECONDS)
    events = api_get_all(server, path)
    by_message_id = {event["message_id"]: event for event in events}
    assert len(by_message_id) == len(events), "two stored events share a messageId"
    return by_message_id


def batch_messages(bodies: list[dict]) -> tuple[list[dict], dict[str, dict]]:
    """Return the messages of batch request ``bodies``, and each one's batch by messageId."""
    messages = [message for body in bodies for message in body["batch"]]
    batch_of = {message["messageId"]: body for body in bodies for message in body["batch"]}
    return messages, batch_of


def assert_stored_as_sent(
    stored: dict[str, dict], sent: list[dict], batch_of: dict[str, dict] | None = None,
) -> None:
    """Check that every message in ``sent`` was stored once, intact, and nothing else was.

    ``batch_of`` maps a messageId to the batch body it was sent in, when known.
    """
    sent_ids = [message["messageId"] for message in sent]
    assert len(set(sent_ids)) == len(sent_ids), "the SDK reused a messageId"
    assert sorted(stored) == sorted(sent_ids)
    for message in sent:
        item = stored[message["messageId"]]
        batch = (batch_of or {}).get(message["messageId"])
        assert payload_differences(message, item["payload"], batch) == [], message["messageId"]
        assert item["type"] == message["type"]
        assert item["user_id"] == (message.get("userId") or "")
        assert item["anonymous_id"] == (message.get("anonymousId") or "")
        assert item["duplicate_count"] == 0
