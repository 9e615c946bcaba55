"""
Flow control of the debugger websocket. A client that stops acknowledging
gets a bounded stream and "skipped" notices whose reload URL lists exactly
the events it missed, and ingestion never waits for it.
"""
import asyncio
import logging
import time

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer

from debugger import consumers
from debugger.groups import stream_group

from .debuggerkit import api_ids, connect_staff, event_ids, post_batch, track

pytestmark = pytest.mark.django_db(transaction=True)

WINDOW = 3


@pytest.fixture
def small_window(settings, monkeypatch):
    settings.TRACKSIDE = {"DEBUGGER_WINDOW": WINDOW}
    monkeypatch.setattr(consumers, "SKIPPED_NOTICE_INTERVAL", 0.3)


def query_of(url: str) -> str:
    return url.split("?", 1)[1] if "?" in url else ""


async def test_window_bounds_unacknowledged_frames(source, staff_token, small_window):
    client = await connect_staff(staff_token)
    await post_batch("wk_web", [track(f"Row {number}") for number in range(10)])
    sent = await client.frames(WINDOW)
    notice = await client.frame()
    assert await client.quiet(0.5)
    await client.close()

    assert [frame["type"] for frame in sent] == ["event"] * WINDOW
    assert notice["type"] == "skipped"
    assert notice["count"] == 10 - WINDOW
    assert notice["reason"] == "slow_client"


async def test_reload_url_lists_exactly_the_skipped(source, staff_token, small_window):
    client = await connect_staff(staff_token, filters={"source": "web"})
    await post_batch("wk_web", [track(f"Row {number}") for number in range(10)])
    delivered = event_ids(await client.frames(WINDOW))
    notice = await client.frame()
    await client.close()

    assert notice["reload"].startswith("/api/events/?")
    skipped = await api_ids(staff_token, query_of(notice["reload"]))
    everything = await api_ids(staff_token, "source=web")
    assert len(skipped) == notice["count"]
    assert sorted(skipped + delivered) == sorted(everything)


async def test_ack_reopens_the_window(source, staff_token, small_window):
    client = await connect_staff(staff_token)
    await post_batch("wk_web", [track(f"Early {number}") for number in range(5)])
    await client.frames(WINDOW)
    notice = await client.frame()
    await client.send({"type": "ack", "count": WINDOW})
    await post_batch("wk_web", [track("Late")])
    frame = await client.frame()
    await client.close()

    assert notice["count"] == 2
    assert frame["event"]["name"] == "Late"


async def test_notice_arrives_without_further_traffic(source, staff_token, small_window):
    """Skips soon after a notice wait for the interval, then come on their own."""
    client = await connect_staff(staff_token)
    await post_batch("wk_web", [track(f"First {number}") for number in range(WINDOW + 1)])
    await client.frames(WINDOW)
    first = await client.frame()
    await post_batch("wk_web", [track(f"Second {number}") for number in range(4)])
    second = await client.frame(timeout=3)
    await client.close()

    assert first["count"] == 1
    assert second["type"] == "skipped"
    assert second["count"] == 4


async def test_ingest_does_not_wait_for_a_stalled_client(source, staff_token, small_window):
    """A client that never reads or acknowledges costs ingestion nothing: every batch is stored."""
    client = await connect_staff(staff_token)
    started = time.monotonic()
    for round_number in range(20):
        await post_batch("wk_web", [track(f"Round {round_number} row {row}") for row in range(25)])
    elapsed = time.monotonic() - started
    frames = []
    while not await client.quiet(0.5):
        frames.append(await client.frame())
    await client.close()

    assert len(await api_ids(staff_token, "source=web")) == 500
    events = [frame for frame in frames if frame["type"] == "event"]
    skipped = sum(frame["count"] for frame in frames if frame["type"] == "skipped")
    assert len(events) == WINDOW
    assert len(events) + skipped == 500
    # A generous bound that only catches ingestion blocking on the websocket.
    assert elapsed < 60


async def test_channel_layer_gap_counted(source, staff_token, small_window):
    """Group messages the channel layer dropped are reported as skipped, with reason channel_full."""
    client = await connect_staff(staff_token)
    layer = get_channel_layer()
    await layer.group_send(stream_group(), {"type": "stream.items", "origin": "test", "seq": 1, "sent": 5, "items": []})
    await layer.group_send(stream_group(), {"type": "stream.items", "origin": "test", "seq": 9, "sent": 25, "items": []})
    notice = await client.frame()
    await client.close()

    assert notice["type"] == "skipped"
    assert notice["count"] == 20
    assert notice["reason"] == "channel_full"


async def test_behind_warning_rate_limited(source, staff_token, small_window, caplog):
    client = await connect_staff(staff_token)
    with caplog.at_level(logging.WARNING, logger="debugger.consumers"):
        for _ in range(5):
            await post_batch("wk_web", [track("Row")] * 5)
        while not await client.quiet(0.5):
            await client.frame()
    await client.close()

    warnings = [record for record in caplog.records if "is behind" in record.getMessage()]
    assert len(warnings) == 1


async def test_broadcast_not_held_by_busy_sync_thread(source, staff_token):
    """Broadcasts reach the page while ingest's shared sync thread is busy with a long commit."""
    client = await connect_staff(staff_token)
    busy = asyncio.ensure_future(sync_to_async(time.sleep, thread_sensitive=True)(2))
    await asyncio.sleep(0.1)
    item = {"kind": "duplicate", "id": 7, "source": "web", "count": 2}
    await get_channel_layer().group_send(
        stream_group(), {"type": "stream.items", "origin": "busy-test", "sent": 1, "items": [item]},
    )

    frame = await client.frame(timeout=1)
    assert not busy.done()
    await busy
    await client.close()
    assert frame == {"type": "duplicate", "id": 7, "count": 2}
