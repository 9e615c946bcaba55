"""
The browser checks of the shared cases: markup in event fields stays text
on every page that shows it, and the page stays usable under a flood of
events. Each case sends its own requests to a fresh source.
"""
import json
import threading
import time
from pathlib import Path

import pytest

from . import casekit
from .browserkit import chromium, create_source, create_superuser, debugger_page, log_in, post_json, source_id, staff_state  # noqa: F401
from .livekit import api_get_all

pytestmark = [pytest.mark.live, pytest.mark.browser]


def load_case(case_id: str) -> dict:
    return json.loads((casekit.CASES_DIR / f"{case_id}.json").read_text())


def send_case(server, case: dict, write_key: str, on_sent=None) -> None:
    values = casekit.Keys(write_key=write_key).placeholders()
    for request in case["requests"]:
        for repetition in range(request.get("repeat", 1)):
            body = casekit.build_body(request, {**values, "R": str(repetition)})
            answer = post_json(server, request["path"], body, write_key)
            assert answer["success"] is True
            if on_sent:
                on_sent(repetition)


# Elements that markup in the case's fields would create if it were parsed as HTML. The
# page's and the admin's own images, icons and scripts come from /static/ or have children.
MARKUP_PROBE = """() => ({
    images: [...document.querySelectorAll("img")].filter((node) => !node.getAttribute("src").startsWith("/static/")).length,
    svgs: [...document.querySelectorAll("svg")].filter((node) => node.childElementCount === 0).length,
    scripts: [...document.querySelectorAll("script")].filter((node) => node.type !== "application/json" && !node.src).length,
    handlers: [...document.querySelectorAll("*")].filter((node) => [...node.attributes].some((a) => a.name.startsWith("on"))).length,
    bold: document.querySelectorAll("#content b").length,
})"""
NO_MARKUP = {"images": 0, "svgs": 0, "scripts": 0, "handlers": 0, "bold": 0}


def assert_no_markup(page) -> None:
    assert page.evaluate(MARKUP_PROBE) == NO_MARKUP


def test_markup_in_event_fields_stays_text(debugger_page):
    debugger = debugger_page
    server = debugger.server
    case = load_case("markup-in-event-fields")
    source, write_key = create_source(server, "markup")
    debugger.open(f"?source={source}")
    send_case(server, case, write_key)
    debugger.wait_rows(2)

    page = debugger.page
    assert set(debugger.row_texts()) == {"<img src=x onerror=alert(1)>", "<svg onload=alert(4)>"}
    assert_no_markup(page)

    debugger.open_row("<svg onload=alert(4)>")
    assert page.inner_text("#inspector h2") == "<svg onload=alert(4)>"
    assert '"<b>key</b>": "\\"><script>alert(5)</script>"' in page.inner_text("#inspector .code-lines")
    assert_no_markup(page)

    debugger.open_row("<img src=x onerror=alert(1)>")
    page.locator("#inspector .tab", has_text="Stored JSON").click()
    raw = page.inner_text("#inspector .code-lines")
    assert '"referrer": "<img src=\'\' onerror=\'alert(2)\'/>"' in raw
    assert '"title": "</script><script>alert(3)</script>"' in raw
    assert_no_markup(page)

    permalink = page.get_attribute("#inspector a:text('Permalink')", "href")
    page.goto(server.url + permalink)
    page.wait_for_selector("#inspector .code-lines .line")
    assert page.inner_text("#inspector h2") == "<img src=x onerror=alert(1)>"
    assert_no_markup(page)

    frames = [json.loads(text) for text in debugger.watch.frames_received]
    names = {frame["event"]["name"] for frame in frames if frame["type"] == "event"}
    assert names == {"<img src=x onerror=alert(1)>", "<svg onload=alert(4)>"}, "frames carry the strings as JSON data"
    assert debugger.watch.dialogs == []
    assert debugger.watch.errors == []


def test_markup_in_admin_pages_stays_text(debugger_page):
    debugger = debugger_page
    server = debugger.server
    case = load_case("markup-in-event-fields")
    source, write_key = create_source(server, "markup-admin")
    send_case(server, case, write_key)
    events = api_get_all(server, f"/api/events/?source={source}")
    page = debugger.page
    page.context.clear_cookies()
    log_in(page.context, server, create_superuser(server))

    page.goto(server.url + f"/admin/tracker/event/?source__id__exact={source_id(server, source)}")
    assert "<svg onload=alert(4)>" in page.inner_text("#result_list")
    assert_no_markup(page)
    for event in events:
        page.goto(server.url + f"/admin/tracker/event/{event['id']}/change/")
        assert event["name"] in page.inner_text("#content")
        assert_no_markup(page)
    assert debugger.watch.dialogs == []


SAMPLER = """() => {
    window.__volume = { maxRows: 0, maxRate: 0, samples: 0 };
    setInterval(() => {
        const volume = window.__volume;
        volume.samples += 1;
        volume.maxRows = Math.max(volume.maxRows, document.querySelectorAll("#rows .row").length);
        const rate = parseInt(document.getElementById("rate").textContent.replace(/[^0-9]/g, ""), 10) || 0;
        volume.maxRate = Math.max(volume.maxRate, rate);
    }, 100);
}"""


def test_high_volume_keeps_page_usable(debugger_page):
    debugger = debugger_page
    server = debugger.server
    page = debugger.page
    case = load_case("debugger-high-volume")
    source, write_key = create_source(server, "volume")
    debugger.open(f"?source={source}")
    page.evaluate(SAMPLER)
    rows_limit = page.evaluate("() => JSON.parse(document.getElementById('debugger-config').textContent).rows")

    sent = []
    errors = []

    def flood():
        try:
            send_case(server, case, write_key, on_sent=sent.append)
        except Exception as error:  # reported by the main thread's assert
            errors.append(error)

    sender = threading.Thread(target=flood)
    started = time.monotonic()
    sender.start()
    debugger.wait_rows(20)

    # While events pour in: pause, resume, and open a row; each must respond.
    page.click("#pause")
    assert page.get_attribute("#pause", "aria-pressed") == "true"
    page.click("#pause")
    assert page.get_attribute("#pause", "aria-pressed") == "false"
    page.locator("#rows .row-event").nth(5).click()
    page.wait_for_selector("#inspector .code-lines .line")
    opened_during_flood = len(sent) < 40

    sender.join(timeout=120)
    elapsed = time.monotonic() - started
    assert not errors
    assert len(sent) == 40
    page.wait_for_function(
        "() => window.tracksideLive.received + window.tracksideLive.skipped >= 10000", timeout=30000,
    )
    volume = page.evaluate("() => window.__volume")
    live = page.evaluate("() => ({ received: window.tracksideLive.received, skipped: window.tracksideLive.skipped })")

    assert live["received"] + live["skipped"] == 10000, "every event is shown or counted as skipped"
    assert volume["maxRows"] <= rows_limit + 5, "only the newest rows stay in the DOM"
    assert page.locator("#rows .row-event").count() <= rows_limit
    assert volume["maxRate"] > 0, "the arrival rate was shown"
    assert opened_during_flood or elapsed < 5, "the row was opened while events still arrived"
    frames = [json.loads(text) for text in debugger.watch.frames_received]
    assert not any("payload" in frame.get("event", {}) for frame in frames), "rows never carry payloads"
    assert len(debugger.watch.api_requests) == 1, "only the opened row's payload was loaded"
    assert debugger.watch.errors == []

    stream_size = page.evaluate("() => window.tracksideLive.stream.size")
    assert stream_size == rows_limit, "the stream keeps the newest rows"
    assert volume["maxRows"] < rows_limit, "rows below the view are not built while the flood goes on"

    # Scrolling down builds the older rows, up to the limit and no further.
    page.click("#pause")
    # Each scroll builds the next rows; a loaded machine may need more than one frame per step.
    # Skipped-event notices are rows of the stream too, so they count against the limit.
    all_rows = page.locator("#rows .row-event, #rows .row-notice")
    for _ in range(60):
        page.eval_on_selector("#stream-scroller", "node => { node.scrollTop = node.scrollHeight; }")
        page.wait_for_timeout(100)
        if all_rows.count() >= rows_limit:
            break
    assert all_rows.count() == rows_limit
    # textContent, because rows out of view are not rendered and innerText is empty for them.
    names = page.locator("#rows .row-event .col-name").evaluate_all("nodes => nodes.map((node) => node.textContent)")
    assert set(names) == {"Report Row Viewed"}

    stored = api_get_all(server, f"/api/events/?source={source}&limit=1000")
    assert len(stored) == 10000
    page.context.clear_cookies()
    log_in(page.context, server, create_superuser(server))
    page.goto(server.url + f"/admin/tracker/event/?source__id__exact={source_id(server, source)}")
    assert page.locator("#result_list tbody tr").count() == 100
    assert page.locator(".paginator").count() == 1
