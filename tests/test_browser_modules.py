"""
The page's JavaScript modules, imported into a live page in Chromium and
called directly: exact JSON, problem paths, the SDK call view, cURL quoting
and the stream's ordering and de-duplication.
"""
import json

import pytest

from .browserkit import chromium, debugger_page, staff_state  # noqa: F401

pytestmark = [pytest.mark.live, pytest.mark.browser]


@pytest.fixture
def page(debugger_page):
    debugger_page.open()
    return debugger_page.page


def run(page, module: str, body: str):
    """Import a module of static/debugger/ as ``module`` and return the value of ``body`` (a JS expression)."""
    return page.evaluate(f"""async () => {{
        const module = await import("/static/debugger/{module}.js");
        return {body};
    }}""")


def test_exact_numbers_round_trip(page):
    text = '{"big": 9007199254740993, "float": 1.10, "nested": [12345678901234567890123]}'
    assert run(page, "exactjson", f"module.stringifyExact(module.parseExact({json.dumps(text)}))") == (
        '{"big":9007199254740993,"float":1.10,"nested":[12345678901234567890123]}'
    )


@pytest.mark.parametrize(("path", "parts"), [
    ("", []),
    ("properties.revenue", ["properties", "revenue"]),
    ('properties["a.b"][0].price', ["properties", "a.b", 0, "price"]),
    ('["weird]key"].x', ["weird]key", "x"]),
    ("products[12]", ["products", 12]),
])
def test_split_path(page, path, parts):
    assert run(page, "exactjson", f"module.splitPath({json.dumps(path)})") == parts


def test_ancestor_paths(page):
    assert run(page, "exactjson", 'module.ancestorPaths(\'properties["a.b"][0]\')') == [
        'properties["a.b"][0]', 'properties["a.b"]', "properties", "",
    ]


def call_text(page, payload: dict) -> str:
    return run(page, "sdkcall", f"""(module.sdkCallLines({json.dumps(payload)}) || [])
        .map((line) => "  ".repeat(line.depth) + line.tokens.map((token) => token[1]).join("")).join("\\n")""")


@pytest.mark.parametrize(("payload", "first_call_line"), [
    ({"type": "track", "userId": "u", "event": "Order Completed", "properties": {"a": 1}}, 'analytics.track("Order Completed", {'),
    ({"type": "page", "anonymousId": "x", "name": "Pricing"}, 'analytics.page("Pricing");'),
    ({"type": "page", "userId": "u", "category": "Docs", "name": "Setup", "properties": {}}, 'analytics.page("Docs", "Setup", {});'),
    ({"type": "screen", "userId": "u", "name": "Home"}, 'analytics.screen("Home");'),
    ({"type": "identify", "userId": "u_1", "traits": {}}, 'analytics.identify("u_1", {});'),
    ({"type": "identify", "anonymousId": "a", "traits": {}}, "analytics.identify({});"),
    ({"type": "group", "userId": "u", "groupId": "acme", "traits": {}}, 'analytics.group("acme", {});'),
    ({"type": "alias", "userId": "new", "previousId": "old"}, 'analytics.alias("new", "old");'),
    ({"type": "track", "userId": "u", "event": 42}, "analytics.track(42);"),
])
def test_sdk_call_signatures(page, payload, first_call_line):
    lines = call_text(page, payload).splitlines()
    assert first_call_line in lines


def test_sdk_call_client_timestamp(page):
    text = call_text(page, {
        "type": "track", "userId": "u", "event": "E", "properties": {},
        "originalTimestamp": "2024-03-05T10:00:00Z", "timestamp": "2024-03-05T09:59:59.000Z", "context": {"ip": "1.2.3.4"},
    })
    assert '"timestamp": "2024-03-05T10:00:00Z"' in text
    assert "09:59:59" not in text
    assert '"ip": "1.2.3.4"' in text


def test_sdk_call_unknown_type_is_null(page):
    assert run(page, "sdkcall", 'module.sdkCallLines({"type": "checkout"})') is None


def test_missing_path_marks_ancestor(page):
    placed = run(page, "codeview", """(() => {
        const lines = [{ depth: 0, paths: [""], tokens: [] }, { depth: 1, paths: ["properties"], tokens: [] }];
        const problems = [{ path: "properties.revenue" }, { path: "messageId" }];
        const raw = module.placeProblems(lines, problems, true);
        const pretty = module.placeProblems(lines, problems, false);
        return { raw: [...raw.placed.keys()], rawUnplaced: raw.unplaced.length, prettyUnplaced: pretty.unplaced.map((p) => p.path) };
    })()""")
    assert placed == {"raw": [1, 0], "rawUnplaced": 0, "prettyUnplaced": ["messageId"]}


def test_shell_quote(page):
    assert run(page, "replay", """module.shellQuote("it's")""") == "'it'\\''s'"


def test_replay_body_restores_client_fields(page):
    body = run(page, "replay", """module.replayBody({
        type: "track", messageId: "m-1", receivedAt: "r", timestamp: "corrected", originalTimestamp: "client", event: "E",
    })""")
    assert body == {"type": "track", "event": "E", "timestamp": "client"}


def test_stream_orders_and_dedupes(page):
    result = run(page, "stream", """(() => {
        const container = document.createElement("div");
        const scroller = document.createElement("div");
        scroller.append(container);
        const stream = new module.StreamView(container, scroller, { maxRows: 3, onOpen() {}, onLoadNotice() {} });
        const item = (id, at) => ({ id, received_at: at, type: "track", name: "E" + id, source: "s", user_id: "u", anonymous_id: "", problem_count: 0 });
        const first = module.entryFor("event", item(1, "2024-01-01T00:00:01.000Z"));
        stream.add([first, module.entryFor("event", item(1, "2024-01-01T00:00:01.000Z"))]);
        const afterDuplicate = container.childElementCount;
        stream.add([module.entryFor("event", item(3, "2024-01-01T00:00:03.000Z")), module.entryFor("event", item(2, "2024-01-01T00:00:02.000Z"))]);
        stream.add([module.entryFor("event", item(1, "2024-01-01T00:00:01.000Z"))]);
        stream.add([module.entryFor("event", item(4, "2024-01-01T00:00:04.000Z"))]);
        return { afterDuplicate, ids: [...container.children].map((row) => row.dataset.id), size: stream.size };
    })()""")
    assert result == {"afterDuplicate": 1, "ids": ["4", "3", "2"], "size": 3}


@pytest.mark.parametrize(("protocol", "expected"), [("https:", "wss://example.test/ws/debugger/"), ("http:", "ws://example.test/ws/debugger/")])
def test_websocket_url_follows_page_scheme(page, protocol, expected):
    assert run(page, "connection", f'module.websocketUrl({{protocol: "{protocol}", host: "example.test"}})') == expected


@pytest.mark.parametrize(("first", "second", "merged"), [
    ("/api/events/?user=u&after_id=9&before_id=20", "/api/events/?user=u&after_id=30&before_id=41", "/api/events/?user=u&after_id=9&before_id=41"),
    ("/api/events/?after_id=9&before_id=20", "/api/events/?after_id=5", "/api/events/?after_id=5"),
    ("/api/events/?before_id=20", "/api/events/?after_id=30&before_id=41", "/api/events/?before_id=41"),
])
def test_skipped_ranges_widen(page, first, second, merged):
    assert run(page, "skipped", f"module.widenRange({json.dumps(first)}, {json.dumps(second)})") == merged
