"""
The live debugger page in headless Chromium against a real Daphne server:
events from the official Python SDK appear, pause and resume, filters in
the URL, payloads with problems, permalinks, keyboard use and reconnects.
"""
import json
import subprocess
import threading

import pytest
from segment.analytics import Client

from .browserkit import chromium, debugger_page, send_batch, staff_state, unique  # noqa: F401
from .livekit import api_get_all, wait_for_events

pytestmark = [pytest.mark.live, pytest.mark.browser]

BIG = 9007199254740993


def send_with_sdk(server, user_id: str) -> None:
    errors = []
    client = Client(write_key=server.write_key, host=server.url, max_retries=1,
                    on_error=lambda error, batch: errors.append(error))
    client.identify(user_id=user_id, traits={"email": "ada@example.com"})
    client.track(user_id=user_id, event="Order Completed", properties={"revenue": "25.50", "currency": "USD", "big": BIG})
    client.page(user_id=user_id, name="Pricing", properties={"path": "/pricing"})
    client.flush()
    client.shutdown()
    assert not errors


def test_sdk_events_appear(debugger_page):
    debugger = debugger_page
    user = unique("sdk")
    debugger.open(f"?user={user}")

    send_with_sdk(debugger.server, user)
    debugger.wait_rows(3)

    names = debugger.row_texts()
    types = debugger.page.locator("#rows .row-event .type-pill").all_inner_texts()
    assert names == ["Pricing", "Order Completed", user]
    assert types == ["page", "track", "identify"]
    assert set(debugger.row_texts("col-user")) == {user}
    assert set(debugger.row_texts("col-source")) == {"live"}
    badge = debugger.row_for("Order Completed").locator(".badge")
    assert badge.get_attribute("class") == "badge sev-error"
    assert debugger.page.inner_text("#status") == "Live"
    assert debugger.watch.errors == []


def test_pause_counts_then_resume_shows(debugger_page):
    debugger = debugger_page
    user = unique("pause")
    debugger.open(f"?user={user}")
    send_batch(debugger.server, [{"type": "track", "userId": user, "event": "Before Pause"}])
    debugger.wait_rows(1)

    debugger.page.keyboard.press("p")
    assert debugger.page.get_attribute("#pause", "aria-pressed") == "true"
    send_batch(debugger.server, [{"type": "track", "userId": user, "event": f"While Paused {n}"} for n in range(3)])
    debugger.page.wait_for_function("() => document.getElementById('pause').textContent.includes('3 new')")
    assert debugger.row_texts() == ["Before Pause"]

    debugger.page.click("#pause")
    debugger.wait_rows(4)
    assert debugger.row_texts() == ["While Paused 2", "While Paused 1", "While Paused 0", "Before Pause"]
    assert debugger.page.inner_text("#pause") == "Pause"


def test_filter_on_server_kept_in_url(debugger_page):
    debugger = debugger_page
    user = unique("filter")
    debugger.open(f"?user={user}")
    debugger.page.select_option("select[name=type]", "identify")
    debugger.page.wait_for_url(f"**/debugger/?type=identify&user={user}")
    debugger.wait_live()

    send_batch(debugger.server, [
        {"type": "track", "userId": user, "event": "Filtered Out"},
        {"type": "identify", "userId": user, "traits": {"plan": "pro"}},
    ])
    debugger.wait_rows(1)
    frames = [json.loads(text) for text in debugger.watch.frames_received]
    live_names = [frame["event"]["name"] for frame in frames if frame["type"] == "event"]
    assert "Filtered Out" not in live_names, "the server, not the page, filters events"
    assert debugger.page.locator("#rows .type-pill").all_inner_texts() == ["identify"]

    debugger.page.reload()
    debugger.wait_live()
    debugger.wait_rows(1)
    assert debugger.page.input_value("select[name=type]") == "identify"
    assert debugger.page.input_value("input[name=user]") == user
    assert debugger.page.locator("#rows .type-pill").all_inner_texts() == ["identify"]


def test_search_and_problems_only(debugger_page):
    debugger = debugger_page
    user = unique("search")
    send_batch(debugger.server, [
        {"type": "track", "userId": user, "event": "Coupon Applied", "properties": {"coupon": "SPRING-SALE"}},
        {"type": "track", "userId": user, "event": "Order Completed", "properties": {"revenue": "9.99"}},
        {"type": "track", "userId": user, "event": "Cart Viewed", "properties": {}},
    ])
    debugger.open(f"?user={user}")
    debugger.wait_rows(3)

    debugger.page.keyboard.press("/")
    assert debugger.page.evaluate("document.activeElement.name") == "q"
    debugger.page.keyboard.type("spring-sale")
    debugger.page.wait_for_url("**q=spring-sale**")
    debugger.page.wait_for_function("() => document.querySelectorAll('#rows .row-event').length === 1")
    assert debugger.row_texts() == ["Coupon Applied"]

    debugger.page.fill("input[name=q]", "")
    debugger.page.select_option("select[name=severity]", "error")
    debugger.page.wait_for_url("**severity=error**")
    debugger.page.wait_for_function("() => document.querySelectorAll('#rows .row-event').length === 1")
    assert debugger.row_texts() == ["Order Completed"]


def test_payload_shows_problems_on_lines(debugger_page):
    debugger = debugger_page
    user = unique("inspect")
    send_batch(debugger.server, [{
        "type": "track", "userId": user, "event": "Order Completed",
        "properties": {"revenue": "25.50", "currency": "usd", "big": BIG, "place": "Café ☕"},
    }])
    debugger.open(f"?user={user}")
    debugger.wait_rows(1)
    debugger.open_row("Order Completed")
    inspector = debugger.page.locator("#inspector")

    call = inspector.locator(".code-lines").inner_text()
    assert 'analytics.track("Order Completed", {' in call
    assert str(BIG) in call
    flagged = debugger.flagged_lines()
    assert any('"revenue": "25.50"' in line and "amount_not_number" in line for line in flagged)
    assert any('"currency": "usd"' in line for line in flagged)

    cards = inspector.locator(".problem")
    assert cards.count() >= 2
    revenue = inspector.locator(".problem", has_text="amount_not_number")
    assert "properties.revenue" in revenue.inner_text()
    assert "25.5" in revenue.locator(".suggestion").inner_text()
    link = revenue.locator("a.code-link")
    assert link.get_attribute("href") == "/debugger/problems/amount_not_number/"
    assert len(debugger.watch.api_requests) == 1, "the payload is fetched when the row opens"

    inspector.locator(".tab", has_text="Stored JSON").click()
    raw = inspector.locator(".code-lines").inner_text()
    assert '"receivedAt"' in raw
    assert f'"big": {BIG}' in raw
    assert any('"revenue": "25.50"' in line for line in debugger.flagged_lines())
    inspector.locator(".tab", has_text="SDK call").click()


def test_permalink_survives_reload(debugger_page):
    debugger = debugger_page
    user = unique("permalink")
    send_batch(debugger.server, [{"type": "track", "userId": user, "event": "Invoice Paid", "properties": {"id": BIG, "total": "12"}}])
    debugger.open(f"?user={user}")
    debugger.wait_rows(1)
    debugger.open_row("Invoice Paid")

    debugger.page.click("#inspector a:text('Permalink')")
    debugger.page.wait_for_url("**/debugger/events/*/")
    debugger.page.reload()
    debugger.page.wait_for_selector("#inspector .code-lines .line")

    assert debugger.page.inner_text("#inspector h2") == "Invoice Paid"
    assert str(BIG) in debugger.page.inner_text("#inspector .code-lines")
    assert debugger.page.locator("#inspector .problem").count() >= 1
    assert debugger.flagged_lines()
    assert debugger.watch.errors == []


def test_keyboard_moves_and_opens(debugger_page):
    debugger = debugger_page
    user = unique("keys")
    send_batch(debugger.server, [{"type": "track", "userId": user, "event": f"Step {n}"} for n in range(3)])
    debugger.open(f"?user={user}")
    debugger.wait_rows(3)

    keyboard = debugger.page.keyboard
    keyboard.press("j")
    keyboard.press("j")
    keyboard.press("k")
    keyboard.press("j")
    selected = debugger.page.locator("#rows .row.selected")
    assert selected.locator(".col-name").inner_text() == "Step 1"
    keyboard.press("Enter")
    debugger.page.wait_for_selector("#inspector .code-lines .line")
    assert debugger.page.inner_text("#inspector h2") == "Step 1"
    keyboard.press("Escape")
    assert debugger.page.locator("#inspector .placeholder").count() == 1


def test_copy_payload_keeps_big_integers(debugger_page):
    debugger = debugger_page
    user = unique("copy")
    send_batch(debugger.server, [{"type": "track", "userId": user, "event": "Big Number", "properties": {"id": BIG}}])
    debugger.open(f"?user={user}")
    debugger.wait_rows(1)
    debugger.open_row("Big Number")

    debugger.page.click("#inspector button:text('Copy JSON')")
    debugger.page.wait_for_selector("#inspector button:text('Copied')")
    copied = debugger.page.evaluate("navigator.clipboard.readText()")
    assert f'"id": {BIG}' in copied
    assert json.loads(copied)["properties"]["id"] == BIG


def test_copied_curl_replays_event(debugger_page):
    debugger = debugger_page
    user = unique("curl")
    send_batch(debugger.server, [{
        "type": "track", "userId": user, "event": "Replay Me",
        "properties": {"quote": "it's \"quoted\"", "big": BIG}, "timestamp": "2024-03-05T10:00:00.000Z",
    }])
    debugger.open(f"?user={user}")
    debugger.wait_rows(1)
    debugger.open_row("Replay Me")
    debugger.page.click("#inspector button:text('Copy as cURL')")
    debugger.page.wait_for_selector("#inspector button:text('Copied')")
    command = debugger.page.evaluate("navigator.clipboard.readText()")

    done = subprocess.run(["bash", "-c", command + " --silent --show-error"], capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["success"] is True
    events = wait_for_events(debugger.server, f"/api/events/?user={user}", 2)
    assert len(events) == 2
    replayed, original = events
    assert replayed["payload"]["properties"] == original["payload"]["properties"]
    assert replayed["payload"]["originalTimestamp"] == "2024-03-05T10:00:00.000Z"
    assert replayed["message_id"] != original["message_id"]
    debugger.wait_rows(2)


def test_reconnect_catches_up_without_duplicates(debugger_page):
    debugger = debugger_page
    user = unique("reconnect")
    send_batch(debugger.server, [{"type": "track", "userId": user, "event": "Seen Before"}])
    debugger.open(f"?user={user}")
    debugger.wait_rows(1)

    context = debugger.page.context
    context.set_offline(True)
    debugger.page.evaluate("window.tracksideLive.connection.socket.close()")
    debugger.page.wait_for_selector("#status[data-state='offline']")
    send_batch(debugger.server, [{"type": "track", "userId": user, "event": f"Missed {n}"} for n in range(3)])
    context.set_offline(False)
    debugger.wait_live()
    debugger.wait_rows(4)
    send_batch(debugger.server, [{"type": "track", "userId": user, "event": "After"}])
    debugger.wait_rows(5)

    assert debugger.row_texts() == ["After", "Missed 2", "Missed 1", "Missed 0", "Seen Before"]
    ids = debugger.rows().evaluate_all("rows => rows.map(row => row.dataset.id)")
    assert len(ids) == len(set(ids))
    frames = [json.loads(text) for text in debugger.watch.frames_received]
    caught_up = [frame["event"]["name"] for frame in frames if frame["type"] == "event" and frame.get("backfill")]
    assert caught_up == ["Seen Before", "Missed 0", "Missed 1", "Missed 2"], "the missed events came as catch-up"
    subscribes = [json.loads(text) for text in debugger.watch.frames_sent if '"subscribe"' in text]
    assert len(subscribes) == 2
    assert "after_id" not in subscribes[0]
    assert subscribes[1]["after_id"] == int(ids[-1])
    stored = api_get_all(debugger.server, f"/api/events/?user={user}")
    assert sorted(ids) == sorted(str(event["id"]) for event in stored)


def test_rejections_appear_with_reason(debugger_page):
    debugger = debugger_page
    debugger.open("?source=live")
    send_batch(debugger.server, [{"type": "track", "userId": "u", "event": "Fine"}, ["not", "an", "object"]])
    debugger.wait_rows(1, ".row-rejection")

    row = debugger.rows(".row-rejection").first
    assert "message_not_object" in row.inner_text()
    assert "batch[1] is a JSON array" in row.inner_text()
    row.click()
    assert "rejected" in debugger.page.inner_text("#inspector .type-pill")
    assert '["not","an","object"]' in debugger.page.inner_text("#inspector .rejection-head")


def test_stalled_page_gets_skipped_notice(debugger_page):
    """A page whose main thread stalls stops acknowledging; the server skips events and the page offers them."""
    debugger = debugger_page
    user = unique("stall")
    debugger.open(f"?user={user}")
    window = debugger.page.evaluate("() => window.tracksideLive.config.rows")
    assert window > 0

    sender = threading.Thread(target=lambda: [
        send_batch(debugger.server, [{"type": "track", "userId": user, "event": f"Burst {round_number}-{n}"} for n in range(100)])
        for round_number in range(8)
    ])
    sender.start()
    # Block the page's main thread until all 800 events are stored: no frame is handled and nothing
    # acknowledged meanwhile. A synchronous request is the one way a blocked page can ask.
    stored_count = debugger.page.evaluate("""(user) => {
        const deadline = Date.now() + 30000;
        let count = 0;
        while (Date.now() < deadline) {
            const request = new XMLHttpRequest();
            request.open("GET", "/api/events/?limit=1000&user=" + encodeURIComponent(user), false);
            request.send();
            count = JSON.parse(request.responseText).results.length;
            if (count >= 800) break;
            const pause = Date.now() + 200;
            while (Date.now() < pause) {}
        }
        return count;
    }""", user)
    sender.join()
    assert stored_count == 800

    # Notices come at most once a second, so the last of them may follow a moment later.
    debugger.page.wait_for_function("""() => {
        const live = window.tracksideLive;
        const notices = live.stream.entries.filter((entry) => entry.kind === "notice");
        const shown = notices.reduce((sum, entry) => sum + entry.item.count, 0);
        return live.received + live.skipped >= 800 && shown === live.skipped;
    }""")
    notice = debugger.page.locator("#rows .row-notice")
    notice.wait_for()
    text = notice.inner_text()
    live = debugger.page.evaluate("() => ({ received: window.tracksideLive.received, skipped: window.tracksideLive.skipped })")
    assert "because this page fell behind" in text
    assert live["skipped"] > 0
    assert live["received"] + live["skipped"] == 800
    assert f"{live['skipped']} events were not shown" in text.replace(",", "")

    notice.locator("button", has_text="Load them from history").click()
    # The loaded events are newer than the notice, so they sort above it and may push it out of view.
    debugger.page.wait_for_function(
        "() => window.tracksideLive.stream.entries.some((entry) => entry.kind === 'notice' && entry.item.text.startsWith('Loaded'))"
    )
    assert debugger.page.get_attribute("#pause", "aria-pressed") == "true", "loading history pauses the view"
    loaded = debugger.page.evaluate("() => window.tracksideLive.stream.entries.filter((entry) => entry.pinned).length")
    assert loaded == min(live["skipped"], 250)
    stored = api_get_all(debugger.server, f"/api/events/?user={user}&limit=1000")
    assert len(stored) == 800


def test_signed_out_page_says_so(debugger_page):
    debugger = debugger_page
    debugger.open()
    debugger.page.context.clear_cookies()
    debugger.page.evaluate("() => window.tracksideLive.connection.socket.close()")
    debugger.page.wait_for_selector("#status[data-state='offline'] a:text('log in again')")
    link = debugger.page.get_attribute("#status a", "href")
    assert link.startswith("/admin/login/?next=")
