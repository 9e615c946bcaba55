"""
@segment/analytics-next in headless Debian Chromium, loaded from pages Trackside serves.

A dedicated live server serves the test pages and the analytics-next builds
from /static/ (TRACKSIDE_EXTRA_STATIC_DIRS). Pages load from
``http://localhost:PORT`` and use ``cdnURL = http://127.0.0.1:PORT``, so the
settings fetch and every event post are cross-origin, as on a real site.
Covered: every call type (one request each to /v1/t, /v1/i, ...), batching
delivery to /v1/b, the keepalive flush on page unload, navigator.sendBeacon
bodies, and the standalone build loaded the snippet's way.
"""
import json
import os
import re
import uuid

import pytest

from . import live
from .clientkit import CHROMIUM_ARGS, CHROMIUM_PATH, require_chromium, require_python_package
from .nodekit import NODE_DIR, build_browser_files
from .sdklive import LiveSource, assert_stored_as_sent, create_source, stored_events

pytestmark = [pytest.mark.live, pytest.mark.browser]

PAGES_DIR = NODE_DIR / "pages"
ARTIFACTS_DIR = NODE_DIR.parent / "artifacts"
PAGE_TIMEOUT_MS = 20_000
# Playwright's sync API runs event handlers only inside its own calls; a short
# wait lets the recorder see requests made since the last call.
EVENT_PUMP_MS = 200
# The snippet proposed for the README, as a browser app using the npm package writes it.
README_NPM_SNIPPET = """\
import { AnalyticsBrowser } from '@segment/analytics-next'

const analytics = AnalyticsBrowser.load({
  writeKey: 'WRITE_KEY',
  cdnURL: 'http://127.0.0.1:8000',
})
analytics.track('Order Completed', { revenue: 19.99, currency: 'USD' })
"""
BATCHING = {"deliveryStrategy": {"strategy": "batching", "config": {"size": 10, "timeout": 500}}}
# Large enough that nothing is sent until the page unloads.
BATCHING_UNTIL_UNLOAD = {"deliveryStrategy": {"strategy": "batching", "config": {"size": 100, "timeout": 60_000}}}


class RequestRecorder:
    """Collect the event posts a browser context makes to Trackside's /v1/ paths."""

    def __init__(self, context):
        self.posts: list[dict] = []
        context.on("request", self.record)

    def record(self, request) -> None:
        path = re.sub(r"^https?://[^/]+", "", request.url)
        if request.method != "POST" or not path.startswith("/v1/") or path == "/v1/m":
            return
        self.posts.append({"path": path, "headers": request.headers, "body": json.loads(request.post_data)})

    def paths(self, page) -> list[str]:
        page.wait_for_timeout(EVENT_PUMP_MS)
        return [post["path"] for post in self.posts]

    def messages(self, page) -> tuple[list[dict], dict[str, dict]]:
        """Return every message posted, and the batch body of those sent in one."""
        page.wait_for_timeout(EVENT_PUMP_MS)
        messages, batch_of = [], {}
        for post in self.posts:
            body = post["body"]
            if "batch" in body:
                messages.extend(body["batch"])
                batch_of.update({message["messageId"]: body for message in body["batch"]})
            else:
                messages.append(body)
        return messages, batch_of


@pytest.fixture(scope="module")
def browser_server(tmp_path_factory):
    """A live server that also serves the test pages and the analytics-next builds under /static/."""
    require_chromium()
    require_python_package("playwright.sync_api", "playwright")
    build_dir = build_browser_files(tmp_path_factory.mktemp("analytics-next-build"))
    static_dirs = os.pathsep.join([str(PAGES_DIR), str(build_dir)])
    server = live.start_server(tmp_path_factory.mktemp("browser-live"), extra_env={
        "TRACKSIDE_EXTRA_STATIC_DIRS": static_dirs,
        "TRACKSIDE_ANALYTICS_JS_FILE": str(build_dir / "analytics.min.js"),
    })
    yield server
    live.stop_server(server)


@pytest.fixture(scope="module")
def chromium(browser_server):
    sync_api = require_python_package("playwright.sync_api", "playwright")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM_PATH), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium, request):
    """A page in a fresh browser context; saved as a screenshot in tests/artifacts/ when the test fails."""
    context = chromium.new_context()
    recorder = RequestRecorder(context)
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    failures_before = request.session.testsfailed
    yield page, recorder
    # The call phase's report is counted before teardown runs, so a change here means this test failed.
    if request.session.testsfailed > failures_before and not page.is_closed():
        ARTIFACTS_DIR.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS_DIR / f"{re.sub(r'[^A-Za-z0-9_.-]', '_', request.node.name)}.png"))
    context.close()


def page_url(server, name: str) -> str:
    return f"http://localhost:{server.port}/static/{name}"


def cdn_url(server) -> str:
    return f"http://127.0.0.1:{server.port}"


def open_npm_page(page, server, source: LiveSource, segment_settings: dict | None = None) -> str:
    """Load the npm build with Trackside as its CDN; return the anonymousId it chose."""
    page.goto(page_url(server, "npm.html"))
    return page.evaluate(
        "([writeKey, cdnURL, settings]) => loadAnalytics(writeKey, cdnURL, settings)",
        [source.write_key, cdn_url(server), segment_settings],
    )


def test_npm_build_every_call_type(browser_page, browser_server):
    page, recorder = browser_page
    source = create_source(browser_server, "browser-calls")
    user_id = f"browser-{uuid.uuid4().hex[:8]}"
    anonymous_id = open_npm_page(page, browser_server, source)

    delivered = page.evaluate("(userId) => sendEveryCallType(userId)", user_id)
    stored = stored_events(browser_server, source, len(delivered))

    assert len(stored) == 6
    assert sorted(recorder.paths(page)) == ["/v1/a", "/v1/g", "/v1/i", "/v1/p", "/v1/s", "/v1/t"]
    sent, batch_of = recorder.messages(page)
    assert_stored_as_sent(stored, sent, batch_of)
    for summary in delivered:
        assert stored[summary["messageId"]]["type"] == summary["type"]
    by_type = {event["type"]: event for event in stored.values()}
    track = by_type["track"]["payload"]
    assert track["properties"]["place"] == {"name": "Café ☕", "tags": ["naïve", "日本語", "emoji 🎉"]}
    assert track["anonymousId"] == anonymous_id
    assert track["context"]["library"]["name"] == "analytics.js"
    assert by_type["identify"]["payload"]["traits"]["name"] == "Zoë Ångström 小林"
    assert by_type["identify"]["user_id"] == user_id
    assert by_type["page"]["payload"]["name"] == "Getting Started"
    assert by_type["group"]["payload"]["groupId"] == "grp-1"
    assert by_type["alias"]["payload"]["previousId"] == "anon-previous-1"


def test_readme_npm_snippet_works(browser_page, browser_server):
    page, _ = browser_page
    source = create_source(browser_server, "browser-readme")
    page.goto(page_url(browser_server, "npm.html"))
    # The bundle already defines AnalyticsBrowser, so the import line is left out.
    code = README_NPM_SNIPPET.split("\n", 2)[2]
    code = code.replace("WRITE_KEY", source.write_key).replace("http://127.0.0.1:8000", cdn_url(browser_server))

    page.evaluate(f"() => {{ {code} }}")
    stored = stored_events(browser_server, source, 1)

    assert len(stored) == 1
    [event] = stored.values()
    assert event["name"] == "Order Completed"
    assert event["payload"]["properties"] == {"revenue": 19.99, "currency": "USD"}


def test_npm_build_batching_posts_to_v1_b(browser_page, browser_server):
    page, recorder = browser_page
    source = create_source(browser_server, "browser-batching")
    open_npm_page(page, browser_server, source, BATCHING)

    page.evaluate("() => trackMany(10, 'Row Viewed')")
    stored = stored_events(browser_server, source, 10)

    assert len(stored) == 10
    paths = recorder.paths(page)
    assert paths, "the batching test saw no event post"
    assert set(paths) == {"/v1/b"}
    sent, batch_of = recorder.messages(page)
    assert_stored_as_sent(stored, sent, batch_of)
    assert sorted(event["payload"]["properties"]["index"] for event in stored.values()) == list(range(10))


def test_npm_build_flushes_on_unload(browser_page, browser_server):
    page, recorder = browser_page
    source = create_source(browser_server, "browser-unload")
    open_npm_page(page, browser_server, source, BATCHING_UNTIL_UNLOAD)
    page.evaluate("() => trackMany(5, 'Row Viewed Before Leaving')")
    assert recorder.paths(page) == [], "the batch was sent before the page unloaded"

    page.goto(page_url(browser_server, "blank.html"))
    stored = stored_events(browser_server, source, 5)

    assert len(stored) == 5
    # Playwright does not report a request that outlives its page, so the page's own fetch log shows it.
    fetches = json.loads(page.evaluate("() => sessionStorage.getItem('trackside-fetch-log')"))
    event_posts = [fetch for fetch in fetches if fetch["path"].startswith("/v1/") and "/projects/" not in fetch["path"]]
    assert event_posts == [{"path": "/v1/b", "keepalive": True}]
    assert {event["name"] for event in stored.values()} == {"Row Viewed Before Leaving"}
    assert sorted(event["payload"]["properties"]["index"] for event in stored.values()) == list(range(5))


def test_send_beacon_bodies_stored(browser_page, browser_server):
    page, recorder = browser_page
    source = create_source(browser_server, "browser-beacon")
    page.goto(page_url(browser_server, "npm.html"))
    user_id = f"beacon-{uuid.uuid4().hex[:8]}"
    single = {
        "writeKey": source.write_key, "type": "track", "event": "Beacon Sent", "userId": user_id,
        "messageId": f"beacon-{uuid.uuid4()}", "properties": {"name": "Café ☕", "tags": ["日本語", "emoji 🎉"]},
    }
    batch = {"writeKey": source.write_key, "batch": [
        {"type": "track", "event": "Beacon Batched", "userId": user_id, "messageId": f"beacon-{uuid.uuid4()}",
         "properties": {"index": index}}
        for index in range(2)
    ]}

    assert page.evaluate("([url, body]) => sendBeacon(url, body)", [cdn_url(browser_server) + "/v1/t", single])
    assert page.evaluate("([url, body]) => sendBeacon(url, body)", [cdn_url(browser_server) + "/v1/b", batch])
    stored = stored_events(browser_server, source, 3)

    assert len(stored) == 3
    assert_stored_as_sent(stored, [single, *batch["batch"]], {m["messageId"]: batch for m in batch["batch"]})
    assert sorted(recorder.paths(page)) == ["/v1/b", "/v1/t"]
    for post in recorder.posts:
        assert post["headers"]["content-type"] == "text/plain;charset=UTF-8"


def open_snippet_page(page, server, source: LiveSource, script: str, user_id: str) -> dict:
    """Open the snippet page; return how its request for analytics.min.js ended.

    The result is ``{"status": N}``, or ``{"failure": reason}`` when Chromium
    blocked the response (it blocks a JSON 404 response to a script request).
    """
    outcome: dict = {}

    def record_response(response) -> None:
        if "analytics.min.js" in response.url:
            outcome["status"] = response.status

    def record_failure(request) -> None:
        if "analytics.min.js" in request.url:
            outcome["failure"] = request.failure

    page.on("response", record_response)
    page.on("requestfailed", record_failure)
    query = f"writeKey={source.write_key}&cdn={cdn_url(server)}&script={script}&userId={user_id}"
    # goto waits for the load event, which waits for the script the page inserted.
    page.goto(page_url(server, f"snippet.html?{query}"))
    return outcome


def assert_snippet_calls_stored(server, source: LiveSource, user_id: str) -> None:
    stored = stored_events(server, source, 5)
    assert len(stored) == 5
    by_type = {event["type"]: event for event in stored.values()}
    assert sorted(by_type) == ["alias", "group", "identify", "page", "track"]
    assert by_type["track"]["payload"]["properties"] == {"name": "Café ☕", "tags": ["日本語", "emoji 🎉"]}
    assert by_type["identify"]["user_id"] == user_id
    assert by_type["alias"]["payload"]["previousId"] == "anon-previous-1"


def test_snippet_with_self_hosted_script(browser_page, browser_server):
    page, _ = browser_page
    source = create_source(browser_server, "browser-snippet")
    user_id = f"snippet-{uuid.uuid4().hex[:8]}"

    outcome = open_snippet_page(page, browser_server, source, "/static/analytics.min.js", user_id)

    assert outcome == {"status": 200}
    assert_snippet_calls_stored(browser_server, source, user_id)


def test_snippet_with_cdn_pointed_here(browser_page, browser_server):
    page, _ = browser_page
    source = create_source(browser_server, "browser-snippet-cdn")
    user_id = f"snippet-{uuid.uuid4().hex[:8]}"

    outcome = open_snippet_page(page, browser_server, source, "cdn", user_id)

    assert outcome == {"status": 200}
    assert_snippet_calls_stored(browser_server, source, user_id)
