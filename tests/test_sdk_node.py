"""
The official npm client @segment/analytics-node against a live, Daphne-served Trackside.

A small script under tests/node sends every call type with unicode, and a
batch of 250; it reports each request body the client sent, so the stored
events are compared with exactly those messages.
"""
import uuid

import pytest

from .nodekit import ensure_node_packages, run_node_script
from .sdklive import assert_stored_as_sent, batch_messages, create_source, stored_events

pytestmark = pytest.mark.live

BATCH_SIZE = 250


@pytest.fixture(scope="module")
def node_packages():
    return ensure_node_packages()


def send_with_node(server, write_key: str, scenario: str, **options) -> dict:
    config = {
        "host": server.url, "writeKey": write_key, "userId": f"node-{uuid.uuid4().hex[:8]}",
        "scenario": scenario, **options,
    }
    result = run_node_script("send-events.js", config)
    assert result["errors"] == [], result["errors"]
    assert set(result["statuses"]) == {200}, result["statuses"]
    return result


def test_every_call_type_stored(node_packages, live_server_process):
    server = live_server_process
    source = create_source(server, "node-calls")
    result = send_with_node(server, source.write_key, "calls")
    sent, batch_of = batch_messages(result["requests"])

    stored = stored_events(server, source, len(sent))

    assert len(sent) == 7
    assert_stored_as_sent(stored, sent, batch_of)
    types = sorted(event["type"] for event in stored.values())
    assert types == ["alias", "group", "identify", "page", "screen", "track", "track"]
    order = next(event for event in stored.values() if event["name"] == "Order Completed")
    properties = order["payload"]["properties"]
    assert properties["place"] == {"name": "Café ☕", "tags": ["naïve", "日本語", "emoji 🎉", "👩‍💻"]}
    assert properties["when"] == "2024-02-29T23:59:58.123Z"
    assert order["payload"]["context"]["library"]["name"] == "@segment/analytics-node"
    identify = next(event for event in stored.values() if event["type"] == "identify")
    assert identify["payload"]["traits"]["name"] == "Zoë Ångström 小林"


def test_batch_of_250_stored(node_packages, live_server_process):
    server = live_server_process
    source = create_source(server, "node-batch")
    result = send_with_node(server, source.write_key, "batch", count=BATCH_SIZE)
    sent, batch_of = batch_messages(result["requests"])

    stored = stored_events(server, source, BATCH_SIZE)

    assert len(sent) == BATCH_SIZE
    assert len(result["requests"]) > 1, "expected the client to split 250 events into several requests"
    assert_stored_as_sent(stored, sent, batch_of)
    indexes = sorted(event["payload"]["properties"]["index"] for event in stored.values())
    assert indexes == list(range(BATCH_SIZE))
