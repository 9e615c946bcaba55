"""
The whole path with the official PyPI client: segment-analytics-python sends
to a Daphne-served Trackside, the events are stored with their properties
intact, and a debugger websocket client sees them live.
"""
import asyncio
import uuid
from datetime import datetime, timezone

import pytest
from segment.analytics import Client

from .livekit import DebuggerSocket, wait_for_events
from .sdklive import create_source

pytestmark = pytest.mark.live


def send_with_sdk(server, write_key: str, user_id: str, gzip: bool = False) -> int:
    errors = []
    client = Client(
        write_key=write_key, host=server.url, gzip=gzip, max_retries=1,
        on_error=lambda error, batch: errors.append(error),
    )
    client.track(user_id=user_id, event="Order Completed", properties={
        "order_id": "o-1", "revenue": 19.99, "currency": "USD",
        "products": [{"sku": "SKU-1", "price": 19.99, "quantity": 1}],
        "place": {"name": "Café ☕", "tags": ["naïve", "日本語", "emoji 🎉"]},
        "big_int": 9007199254740993,
    })
    client.identify(user_id=user_id, traits={"email": "zoe@example.com", "created_at": datetime(2023, 12, 31, tzinfo=timezone.utc)})
    for number in range(30):
        client.track(user_id=user_id, event="Row Viewed", properties={"row": number})
    client.flush()
    client.shutdown()
    assert not errors
    return 32


async def _watch_and_send(server, write_key: str, user_id: str) -> list[dict]:
    async with DebuggerSocket(server, filters={"user": user_id}) as socket:
        sent = await asyncio.to_thread(send_with_sdk, server, write_key, user_id)
        return await socket.collect_events(sent)


def test_sdk_events_stored_and_broadcast(live_server_process):
    server = live_server_process
    # A source of its own: cross-event checks compare with what the source received before.
    source = create_source(server, "sdk")
    user_id = f"sdk-{uuid.uuid4().hex[:8]}"

    live_events = asyncio.run(_watch_and_send(server, source.write_key, user_id))
    stored = wait_for_events(server, f"/api/events/?source={source.name}&user={user_id}&limit=1000", 32)

    assert len(stored) == 32
    assert len(live_events) == 32
    assert {event["id"] for event in live_events} == {event["id"] for event in stored}
    order = next(event for event in stored if event["name"] == "Order Completed")
    properties = order["payload"]["properties"]
    assert properties["revenue"] == 19.99
    assert properties["place"]["tags"] == ["naïve", "日本語", "emoji 🎉"]
    assert properties["big_int"] == 9007199254740993
    assert order["payload"]["context"]["library"]["name"] == "analytics-python"
    assert [problem["code"] for problem in order["problems"]] == ["integer_beyond_javascript"]
    rows = sorted(event["payload"]["properties"]["row"] for event in stored if event["name"] == "Row Viewed")
    assert rows == list(range(30))


def test_sdk_gzip_batches_stored(live_server_process):
    server = live_server_process
    source = create_source(server, "sdk-gzip")
    user_id = f"gzip-{uuid.uuid4().hex[:8]}"
    send_with_sdk(server, source.write_key, user_id, gzip=True)
    stored = wait_for_events(server, f"/api/events/?source={source.name}&user={user_id}&limit=1000", 32)
    assert len(stored) == 32
