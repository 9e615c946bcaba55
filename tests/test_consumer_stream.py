"""Live frames of the debugger websocket: shapes, server-side filters, rejections and retries."""
import json

import pytest

from .debuggerkit import DebuggerClient, api_ids, api_item, connect_staff, event_ids, post_batch, track, ws_headers

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sources(make_source):
    make_source("web", "wk_web")
    make_source("app", "wk_app")


MIXED = {
    "wk_web": [
        track("Order Completed", "u_1", revenue=10),
        track("Order Completed", "u_2", revenue="25.50", coupon="SPRING"),
        {"type": "identify", "userId": "u_1", "traits": {"email": "a@example.com"}},
        {"type": "page", "anonymousId": "anon-1", "name": "Pricing"},
        {"type": "track", "event": "Anonymous Thing", "anonymousId": "anon-1", "properties": {"note": "spring sale"}},
        {"type": "track", "userId": "u_3", "event": "No Props", "properties": "plan=pro"},
    ],
    "wk_app": [
        track("Order Completed", "u_1", revenue=5),
        {"type": "screen", "userId": "u_9", "name": "Home"},
    ],
}


async def send_mixed() -> None:
    for write_key, messages in MIXED.items():
        await post_batch(write_key, messages)


async def drain_events(client: DebuggerClient) -> list[dict]:
    """Read frames until the stream is quiet; return them."""
    frames = []
    while not await client.quiet(0.5):
        frames.append(await client.frame())
    return frames


FILTERS = [
    {},
    {"source": "web"},
    {"source": "app"},
    {"type": "track"},
    {"type": "screen"},
    {"event": "Order Completed"},
    {"user": "u_1"},
    {"user": "anon-1"},
    {"severity": "error"},
    {"severity": "warning"},
    {"q": "spring"},
    {"source": "web", "event": "Order Completed", "severity": "error"},
]


@pytest.mark.parametrize("filters", FILTERS, ids=lambda filters: "-".join(f"{k}={v}" for k, v in filters.items()) or "none")
async def test_live_filters_match_read_api(sources, staff_token, filters):
    """The server filters live frames exactly as the read API filters history."""
    client = await connect_staff(staff_token, filters=filters)
    await send_mixed()
    live = event_ids(await drain_events(client))
    await client.close()

    query = "&".join(f"{key}={value}" for key, value in filters.items())
    expected = sorted(await api_ids(staff_token, query))
    assert sorted(live) == expected
    if filters:
        everything = await api_ids(staff_token, "")
        assert len(expected) < len(everything), "this filter should leave events out"


async def test_severity_filter_keeps_only_bad_events(sources, staff_token):
    client = await connect_staff(staff_token, filters={"severity": "error"})
    await send_mixed()
    frames = await drain_events(client)
    await client.close()
    severities = {frame["event"]["severity"] for frame in frames if frame["type"] == "event"}
    assert severities == {"error"}


async def test_live_frame_equals_read_api_item(sources, staff_token):
    client = await connect_staff(staff_token)
    await post_batch("wk_web", [track("Invoice Paid", invoice_id=2**70, tags=["naïve", "日本語"])])
    text = await client.text_frame()
    await client.close()

    frame = json.loads(text)
    assert frame["type"] == "event"
    assert frame["event"] == await api_item(staff_token, frame["event"]["id"])
    assert str(2**70) in text
    assert frame["event"]["payload"]["properties"]["invoice_id"] == 2**70


async def test_summary_frames_leave_out_payload(sources, staff_token):
    client = await connect_staff(staff_token, summary=True)
    await post_batch("wk_web", [track("Order Completed", revenue="25.50")])
    frame = await client.frame()
    await client.close()

    item = frame["event"]
    assert "payload" not in item
    assert "problems" not in item
    full = await api_item(staff_token, item["id"])
    assert item == {key: value for key, value in full.items() if key not in ("payload", "problems")}
    assert item["severity"] == "error"
    assert item["problem_count"] == len(full["problems"])
    assert "amount_not_number" in [problem["code"] for problem in full["problems"]]


async def test_markup_stays_json_text(sources, staff_token):
    """Markup in event fields travels as JSON strings, never HTML-escaped or interpreted."""
    client = await connect_staff(staff_token)
    await post_batch("wk_web", [{
        "type": "track", "userId": "<b>u</b>", "event": "<svg onload=alert(4)>",
        "properties": {"<b>key</b>": "\"><script>alert(5)</script>"},
    }])
    text = await client.text_frame()
    await client.close()

    assert "&lt;" not in text
    event = json.loads(text)["event"]
    assert event["name"] == "<svg onload=alert(4)>"
    assert event["payload"]["properties"] == {"<b>key</b>": "\"><script>alert(5)</script>"}


async def test_rejected_batch_item_sent_as_rejection(sources, staff_token):
    client = await connect_staff(staff_token)
    await post_batch("wk_web", [track("Fine"), "not an object"])
    frames = [await client.frame(), await client.frame()]
    await client.close()

    kinds = sorted(frame["type"] for frame in frames)
    assert kinds == ["event", "rejection"]
    rejection = next(frame["rejection"] for frame in frames if frame["type"] == "rejection")
    assert rejection["code"] == "message_not_object"
    assert rejection["index"] == 1
    assert rejection["source"] == "web"


async def test_rejected_request_sent_as_rejection(sources, staff_token):
    from asgiref.sync import sync_to_async
    from django.test import Client

    client = await connect_staff(staff_token)

    def post_broken_json():
        return Client().generic("POST", "/v1/track", data=b'{"event": ', content_type="application/json",
                                headers={"Authorization": "Basic d2tfd2ViOg=="})

    response = await sync_to_async(post_broken_json)()
    frame = await client.frame()
    await client.close()

    assert response.status_code == 400
    assert frame["type"] == "rejection"
    assert frame["rejection"]["index"] is None
    assert frame["rejection"]["head"] == '{"event": '


@pytest.mark.parametrize(("filters", "shown"), [
    ({}, True),
    ({"source": "web"}, True),
    ({"severity": "warning"}, True),
    ({"source": "app"}, False),
    ({"type": "track"}, False),
    ({"user": "u_1"}, False),
])
async def test_rejection_filters(sources, staff_token, filters, shown):
    client = await connect_staff(staff_token, filters=filters)
    await post_batch("wk_web", ["not an object"])
    frames = await drain_events(client)
    await client.close()
    assert [frame["type"] for frame in frames] == (["rejection"] if shown else [])


async def test_identical_retry_sent_as_duplicate(sources, staff_token):
    message = {**track("Order Completed"), "messageId": "retry-1"}
    client = await connect_staff(staff_token)
    await post_batch("wk_web", [message])
    first = await client.frame()
    await post_batch("wk_web", [message])
    second = await client.frame()
    await client.close()

    assert first["type"] == "event"
    assert second == {"type": "duplicate", "id": first["event"]["id"], "count": 1}


async def test_one_frame_per_event_in_order(sources, staff_token):
    client = await connect_staff(staff_token)
    await post_batch("wk_web", [track(f"Row {number}") for number in range(20)])
    frames = await client.frames(20)
    assert await client.quiet()
    await client.close()
    names = [frame["event"]["name"] for frame in frames]
    assert names == [f"Row {number}" for number in range(20)]


@pytest.mark.parametrize(("frame", "message"), [
    ("not json", "JSON objects"),
    ("[1, 2]", "JSON objects"),
    ({"type": "dance"}, "Unknown frame type 'dance'"),
    ({"type": "subscribe", "filters": {"colour": "red"}}, "Unknown filter 'colour'"),
    ({"type": "subscribe", "filters": {"severity": "fatal"}}, "'fatal'"),
    ({"type": "subscribe", "filters": ["web"]}, "filters must be an object"),
    ({"type": "subscribe", "backfill": -1}, "backfill must be a whole number"),
    ({"type": "subscribe", "backfill": "ten"}, "backfill must be a whole number"),
    ({"type": "subscribe", "after_id": "5"}, "after_id must be an event id"),
    ({"type": "subscribe", "summary": "yes"}, "summary must be true or false"),
    ({"type": "ack", "count": 0}, "ack needs a positive whole count"),
    ({"type": "ack", "count": True}, "ack needs a positive whole count"),
])
async def test_bad_client_frames_answered_with_error(staff_token, frame, message):
    client = DebuggerClient(ws_headers(staff_token))
    await client.connect()
    await client.send(frame)
    answer = await client.frame()
    await client.send({"type": "ping"})
    pong = await client.frame()
    await client.close()

    assert answer["type"] == "error"
    assert message in answer["message"]
    assert pong == {"type": "pong"}
