"""History on subscribe: backfill on load, catch-up after a reconnect, without duplicates."""
import pytest

from debugger import consumers

from .debuggerkit import api_ids, connect_staff, event_ids, post_batch, track

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sources(make_source):
    make_source("web", "wk_web")
    make_source("app", "wk_app")


async def test_backfill_sends_newest_oldest_first(source, staff_token):
    await post_batch("wk_web", [track(f"Row {number}") for number in range(10)])
    client = await connect_staff(staff_token)
    _, history, done = await client.subscribe(backfill=4)
    await client.close()

    names = [frame["event"]["name"] for frame in history]
    assert names == ["Row 6", "Row 7", "Row 8", "Row 9"]
    assert all(frame["backfill"] is True for frame in history)
    assert done["last_id"] == history[-1]["event"]["id"]


async def test_backfill_applies_filters(sources, staff_token):
    await post_batch("wk_web", [track("Order Completed", revenue="25.50"), track("Fine", revenue=3)])
    await post_batch("wk_app", [track("Order Completed", revenue="9,99")])
    client = await connect_staff(staff_token)
    subscribed, history, _ = await client.subscribe(filters={"source": "web", "severity": "error"}, backfill=50)
    await client.close()

    assert subscribed["filters"] == {"source": "web", "severity": "error"}
    assert event_ids(history) == sorted(await api_ids(staff_token, "source=web&severity=error"))
    assert len(history) == 1


async def test_backfill_of_nothing_ends_with_null_ids(source, staff_token):
    client = await connect_staff(staff_token)
    _, history, done = await client.subscribe(backfill=100)
    await client.close()
    assert history == []
    assert done == {"type": "backfill_done", "last_id": None, "last_rejection_id": None}


async def test_backfill_includes_rejections_in_time_order(source, staff_token):
    await post_batch("wk_web", [track("First")])
    await post_batch("wk_web", ["not an object"])
    await post_batch("wk_web", [track("Last")])
    client = await connect_staff(staff_token)
    _, history, done = await client.subscribe(backfill=10)
    await client.close()

    assert [frame["type"] for frame in history] == ["event", "rejection", "event"]
    assert done["last_rejection_id"] == history[1]["rejection"]["id"]


async def test_summary_backfill_leaves_out_payload(source, staff_token):
    await post_batch("wk_web", [track("Order Completed")])
    client = await connect_staff(staff_token)
    _, history, _ = await client.subscribe(backfill=10, summary=True)
    await client.close()
    assert "payload" not in history[0]["event"]
    assert history[0]["event"]["name"] == "Order Completed"


async def test_catch_up_after_reconnect_sends_only_missed(sources, staff_token):
    await post_batch("wk_web", [track(f"Before {number}") for number in range(5)])
    first = await connect_staff(staff_token)
    _, seen, done = await first.subscribe(backfill=100)
    await first.close()

    await post_batch("wk_web", [track(f"While away {number}") for number in range(3)])
    await post_batch("wk_web", ["not an object"])
    await post_batch("wk_app", [track("Elsewhere")])

    second = await connect_staff(staff_token)
    _, missed, caught_up = await second.subscribe(
        filters={"source": "web"}, after_id=done["last_id"], after_rejection_id=done["last_rejection_id"] or 0,
    )
    await post_batch("wk_web", [track("After reconnect")])
    live = await second.frame()
    await second.close()

    missed_names = [frame["event"]["name"] for frame in missed if frame["type"] == "event"]
    assert missed_names == ["While away 0", "While away 1", "While away 2"]
    assert [frame["type"] for frame in missed].count("rejection") == 1
    assert not set(event_ids(seen)) & set(event_ids(missed))
    assert caught_up["last_id"] == max(event_ids(missed))
    assert live["event"]["name"] == "After reconnect"


async def test_catch_up_without_news_sends_nothing(source, staff_token):
    await post_batch("wk_web", [track("Only")])
    client = await connect_staff(staff_token)
    _, seen, done = await client.subscribe(backfill=10)
    _, missed, again = await client.subscribe(after_id=done["last_id"], after_rejection_id=0)
    await client.close()
    # The rejection catch-up from 0 has nothing to send either.
    assert missed == []
    assert again["last_id"] == done["last_id"]


async def test_catch_up_limit_sends_newest_and_reload_url(source, staff_token, monkeypatch):
    monkeypatch.setattr(consumers, "MAX_HISTORY", 3)
    client = await connect_staff(staff_token)
    _, _, done = await client.subscribe(backfill=10)
    await post_batch("wk_web", [track(f"Missed {number}") for number in range(8)])
    while not await client.quiet(0.3):
        await client.frame()

    _, missed, _ = await client.subscribe(after_id=done["last_id"] or 0)
    await client.close()

    events = [frame for frame in missed if frame["type"] == "event"]
    notice = next(frame for frame in missed if frame["type"] == "skipped")
    assert [frame["event"]["name"] for frame in events] == ["Missed 5", "Missed 6", "Missed 7"]
    assert notice["count"] == 5
    assert notice["reason"] == "catch_up_limit"
    reloaded = await api_ids(staff_token, notice["reload"].split("?", 1)[1])
    everything = await api_ids(staff_token, "")
    assert sorted(reloaded) == sorted(everything)[:5]


async def test_resubscribe_replaces_filters(sources, staff_token):
    client = await connect_staff(staff_token, filters={"source": "app"})
    await client.subscribe(filters={"source": "web"}, backfill=0)
    await post_batch("wk_app", [track("App event")])
    await post_batch("wk_web", [track("Web event")])
    frame = await client.frame()
    assert await client.quiet()
    await client.close()
    assert frame["event"]["name"] == "Web event"
