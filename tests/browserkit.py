"""
Helpers and fixtures for driving the debugger page in headless Debian
Chromium with Playwright, against the live Daphne server of tests/live.py.

Test modules import the fixtures (chromium, staff_state, debugger_page).
When a test fails, its page is saved to tests/artifacts/<test>.png together
with the browser console.
"""
import base64
import json
import re
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
# The flags Trackside always runs Chromium with; the binary is Debian's, never a downloaded one.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
VIEWPORT = {"width": 1440, "height": 900}
STAFF = ("live-staff", "live-staff-pw")


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def log_in(context, server, credentials: tuple[str, str] = STAFF) -> None:
    page = context.new_page()
    page.goto(server.url + "/admin/login/?next=/debugger/")
    page.fill("#id_username", credentials[0])
    page.fill("#id_password", credentials[1])
    page.click("input[type=submit]")
    page.wait_for_url("**/debugger/**")
    page.close()


def post_json(server, path: str, body: Any, write_key: str | None = None) -> dict:
    """POST a JSON body to an ingest path with Basic auth; return the JSON response."""
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    auth = base64.b64encode(f"{write_key or server.write_key}:".encode()).decode()
    request = urllib.request.Request(server.url + path, data=data, method="POST", headers={
        "Content-Type": "application/json", "Authorization": f"Basic {auth}",
    })
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def send_batch(server, messages: list, write_key: str | None = None) -> dict:
    return post_json(server, "/v1/batch", {"batch": messages}, write_key)


def create_source(server, prefix: str) -> tuple[str, str]:
    """Create a fresh source on the live server; return its name and write key."""
    name = f"{prefix}-{uuid.uuid4().hex[:6]}"
    write_key = server.manage("create_source", name).strip().splitlines()[-1]
    return name, write_key


def source_id(server, name: str) -> int:
    output = server.manage("shell", "-c", f"from tracker.models import Source; print(Source.objects.get(name={name!r}).pk)")
    return int(output.strip().splitlines()[-1])


def create_superuser(server) -> tuple[str, str]:
    """Create a superuser on the live server, for admin pages that staff without permissions cannot see."""
    username = unique("admin")
    password = "live-admin-pw-" + uuid.uuid4().hex[:8]
    server.manage("shell", "-c", (
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_superuser({username!r}, password={password!r})"
    ))
    return username, password


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def _text(payload: str | bytes) -> str:
    return payload if isinstance(payload, str) else payload.decode()


class PageWatch:
    """Everything a page reports that a test may want to assert on: errors, dialogs, websocket frames."""

    def __init__(self, page) -> None:
        self.console: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.frames_received: list[str] = []
        self.frames_sent: list[str] = []
        self.api_requests: list[str] = []
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("dialog", self.dismiss)
        page.on("websocket", self.watch_socket)
        page.on("request", self.note_request)

    def dismiss(self, dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def watch_socket(self, socket) -> None:
        socket.on("framereceived", lambda payload: self.frames_received.append(_text(payload)))
        socket.on("framesent", lambda payload: self.frames_sent.append(_text(payload)))

    def note_request(self, request) -> None:
        if re.search(r"/api/events/\d+/$", request.url):
            self.api_requests.append(request.url)


class DebuggerPage:
    """The live page of one test, with the waits its tests share."""

    def __init__(self, page, server) -> None:
        self.page = page
        self.server = server
        self.watch = PageWatch(page)

    def open(self, query: str = "") -> None:
        self.page.goto(self.server.url + "/debugger/" + query)
        self.wait_live()

    def wait_live(self) -> None:
        self.page.wait_for_selector("#status[data-state='live']", timeout=15000)

    def rows(self, selector: str = ".row-event"):
        return self.page.locator("#rows " + selector)

    def row_for(self, text: str):
        return self.page.locator("#rows .row", has_text=text)

    def wait_rows(self, count: int, selector: str = ".row-event", timeout: float = 15000) -> None:
        self.page.wait_for_function(
            "([selector, count]) => document.querySelectorAll('#rows ' + selector).length >= count",
            arg=[selector, count], timeout=timeout,
        )

    def row_texts(self, column: str = "col-name") -> list[str]:
        """Return a column's text, newest row first (textContent: rows out of view have no innerText)."""
        return self.page.locator(f"#rows .row-event .{column}").evaluate_all("nodes => nodes.map((node) => node.textContent)")

    def open_row(self, text: str) -> None:
        self.row_for(text).first.click()
        self.page.wait_for_selector("#inspector .code-lines .line")

    def flagged_lines(self) -> list[str]:
        return self.page.locator("#inspector .code-lines .line.flagged").all_inner_texts()


def save_failure(page, watch: PageWatch, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", name)
    page.screenshot(path=str(ARTIFACTS / f"{safe}.png"), full_page=True)
    (ARTIFACTS / f"{safe}.console.txt").write_text("\n".join(watch.console + watch.errors))


@pytest.fixture(scope="module")
def chromium():
    """Headless Chromium for one test module. Playwright's sync API keeps an event loop running in
    this thread while it is open, so closing it after each module lets later tests use asyncio.run."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def staff_state(chromium, live_server_process):
    """Cookies of a logged-in staff session, reused by every test's browser context."""
    context = chromium.new_context()
    log_in(context, live_server_process)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture
def debugger_page(request, chromium, staff_state, live_server_process):
    """A fresh browser context logged in as staff; screenshots the page when the test fails."""
    context = chromium.new_context(storage_state=staff_state, viewport=VIEWPORT)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server_process.url)
    context.set_default_timeout(15000)
    debugger = DebuggerPage(context.new_page(), live_server_process)
    failed_before = request.session.testsfailed
    yield debugger
    if request.session.testsfailed > failed_before:
        save_failure(debugger.page, debugger.watch, request.node.name)
    context.close()
