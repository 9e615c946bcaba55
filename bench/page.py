"""
Drive the live debugger page at a steady event rate and measure it.

    python bench/page.py                      # 1,000 events/s for 30 s
    python bench/page.py --rate 2000 --seconds 10 --batch 100

The script starts a Trackside server with Daphne the way tests/live.py does,
so DATABASE_URL and REDIS_URL choose the database and channel layer. It
opens /debugger/ in headless Debian Chromium as a staff user and posts
batches of ~1 KB track events at the requested rate. It prints:

- the longest main-thread task of the page, from Chromium's trace (the
  RunTask events of the renderer's main thread), and how many tasks took
  longer than 50 ms;
- the most rows the stream table held at once (sampled every 100 ms) and at
  the end;
- ingest-to-display latency p50/p99: from the event's receivedAt (the
  server's clock on arrival) to the moment its row entered the DOM, which
  is painted in the same frame (same machine, so one clock);
- frame-to-display p50/p99: from the websocket frame's arrival in the page
  to the row entering the DOM, the page's own share of that latency;
- how many events the page received live and how many it was told it
  skipped, and the POST latency p50/p99 (the server's time to store a
  batch, which ingest-to-display includes).

The machine's other load shows in wall times; the CPU times of the trace
(thread time of each task) show what the page itself costs.

Results are also written as JSON to bench/out/page-<time>.json.
"""
import argparse
import base64
import json
import os
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_DIR))

import procstat  # noqa: E402
from tests import live  # noqa: E402
from tests.browserkit import VIEWPORT, launch, log_in  # noqa: E402

SUMMARY = "Sample row of analytics data that gives each event a realistic size for the debugger. " * 8

# Runs in the page before its own scripts: records when each row enters the DOM.
PROBE = """
window.__bench = { latencies: [], pageLatencies: [], arrivals: new Map(), maxRows: 0, rows: 0, longTasks: 0 };
// Note when each event frame arrives, before the page's own listener runs.
const NativeWebSocket = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new NativeWebSocket(...args);
  socket.addEventListener("message", (message) => {
    const match = /^\{"type":"event","event":\{"id":(\d+)/.exec(message.data);
    if (match) window.__bench.arrivals.set(match[1], performance.timeOrigin + performance.now());
  });
  return socket;
};
window.WebSocket.prototype = NativeWebSocket.prototype;
Object.assign(window.WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
new PerformanceObserver((list) => { window.__bench.longTasks += list.getEntries().length; })
  .observe({ type: "longtask", buffered: true });
document.addEventListener("DOMContentLoaded", () => {
  const rows = document.getElementById("rows");
  if (!rows) return;
  new MutationObserver((mutations) => {
    const now = performance.timeOrigin + performance.now();
    for (const mutation of mutations) {
      for (const node of mutation.addedNodes) {
        const received = node.dataset && node.dataset.receivedAt;
        if (!received) continue;
        window.__bench.latencies.push(now - Date.parse(received));
        const arrived = window.__bench.arrivals.get(node.dataset.id);
        if (arrived !== undefined) {
          window.__bench.pageLatencies.push(now - arrived);
          window.__bench.arrivals.delete(node.dataset.id);
        }
      }
    }
  }).observe(rows, { childList: true });
  setInterval(() => {
    const count = rows.childElementCount;
    window.__bench.rows = count;
    window.__bench.maxRows = Math.max(window.__bench.maxRows, count);
  }, 100);
});
"""


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def event(run: str, number: int) -> dict:
    return {
        "type": "track", "messageId": f"bench-{run}-{number}", "anonymousId": "anon-bench",
        "event": "Report Row Viewed", "properties": {"row": number, "summary": SUMMARY},
    }


class Sender(threading.Thread):
    """Post batches of ``batch`` events so that ``rate`` events a second arrive for ``seconds``."""

    def __init__(self, server, rate: int, seconds: float, batch: int) -> None:
        super().__init__(daemon=True)
        self.server, self.rate, self.seconds, self.batch = server, rate, seconds, batch
        self.sent = 0
        self.post_seconds: list[float] = []
        self.errors: list[str] = []

    def run(self) -> None:
        run = uuid.uuid4().hex[:8]
        auth = "Basic " + base64.b64encode(f"{self.server.write_key}:".encode()).decode()
        interval = self.batch / self.rate
        started = time.monotonic()
        deadline = started + self.seconds
        next_send = started
        while next_send < deadline:
            body = json.dumps({"batch": [event(run, self.sent + i) for i in range(self.batch)]}).encode()
            request = urllib.request.Request(self.server.url + "/v1/batch", data=body, method="POST", headers={
                "Content-Type": "application/json", "Authorization": auth,
            })
            posted = time.monotonic()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    response.read()
                self.sent += self.batch
            except OSError as error:
                self.errors.append(str(error))
            self.post_seconds.append(time.monotonic() - posted)
            next_send += interval
            time.sleep(max(0.0, next_send - time.monotonic()))


def renderer_cpu_seconds() -> float:
    """Return the CPU time (user + system) used so far by this process's Chromium renderers."""
    ticks = 0
    # descendants() lists this process first; it is no renderer, so the check below skips it.
    for pid in procstat.descendants(os.getpid()):
        try:
            if b"--type=renderer" not in Path(f"/proc/{pid}/cmdline").read_bytes():
                continue
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def main_thread_tasks(trace: bytes) -> list[dict]:
    """Return the RunTask events of the page renderer's main thread."""
    events = json.loads(trace)
    events = events.get("traceEvents", events) if isinstance(events, dict) else events
    main_threads = {
        (item["pid"], item["tid"]) for item in events
        if item.get("name") == "thread_name" and item.get("args", {}).get("name") == "CrRendererMain"
    }
    return [
        item for item in events
        if item.get("name") in ("RunTask", "ThreadControllerImpl::RunTask") and (item.get("pid"), item.get("tid")) in main_threads
    ]


def task_figures(trace: bytes) -> dict:
    """Return the maximum task duration by wall time (what a user waits) and by thread CPU time (what the page costs)."""
    tasks = main_thread_tasks(trace)
    return {
        "longest_task_ms": max((task.get("dur", 0) for task in tasks), default=0) / 1000,
        "longest_task_cpu_ms": max((task.get("tdur", 0) for task in tasks), default=0) / 1000,
        "main_thread_cpu_ms": sum(task.get("tdur", 0) for task in tasks) / 1000,
    }


def measure(
    rate: int, seconds: float, batch: int, tracing: bool = True, trace_path: str | None = None,
    screenshot_path: str | None = None,
) -> dict:
    from playwright.sync_api import sync_playwright

    server = live.start_server(Path(tempfile.mkdtemp(prefix="trackside-page-bench-")))
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            context = browser.new_context(viewport=VIEWPORT)
            log_in(context, server)
            page = context.new_page()
            page.add_init_script(PROBE)
            page.goto(server.url + "/debugger/?source=live")
            page.wait_for_selector("#status[data-state='live']")
            if tracing:
                browser.start_tracing(page=page, categories=["devtools.timeline", "disabled-by-default-devtools.timeline"])
            cpu_before = renderer_cpu_seconds()

            sender = Sender(server, rate, seconds, batch)
            sender.start()
            if screenshot_path:
                # Halfway through the load, while events still stream in.
                page.wait_for_timeout(seconds * 500)
                page.screenshot(path=screenshot_path)
            sender.join()
            page.wait_for_timeout(2000)

            renderer_cpu = renderer_cpu_seconds() - cpu_before
            trace = browser.stop_tracing() if tracing else None
            if trace and trace_path:
                Path(trace_path).write_bytes(trace)
            probe = page.evaluate("() => window.__bench")
            counts = page.evaluate("() => ({ received: window.tracksideLive.received, skipped: window.tracksideLive.skipped })")
            browser.close()
    finally:
        live.stop_server(server)

    latencies = probe["latencies"]
    return {
        "rate": rate, "seconds": seconds, "batch": batch,
        "events_sent": sender.sent, "post_errors": len(sender.errors),
        "post_ms_p50": percentile(sender.post_seconds, 0.5) * 1000, "post_ms_p99": percentile(sender.post_seconds, 0.99) * 1000,
        **(task_figures(trace) if trace else {}), "long_tasks_over_50ms": probe["longTasks"],
        "renderer_cpu_ms": renderer_cpu * 1000,
        "max_dom_rows": probe["maxRows"], "final_dom_rows": probe["rows"],
        "rows_displayed": len(latencies), "received_live": counts["received"], "skipped": counts["skipped"],
        "latency_ms_p50": percentile(latencies, 0.5), "latency_ms_p99": percentile(latencies, 0.99),
        "latency_ms_max": max(latencies, default=float("nan")),
        "page_latency_ms_p50": percentile(probe["pageLatencies"], 0.5),
        "page_latency_ms_p99": percentile(probe["pageLatencies"], 0.99),
    }


def report(result: dict) -> None:
    print(f"Debugger page at {result['rate']} events/s for {result['seconds']} s (batches of {result['batch']})")
    print(f"  events sent             {result['events_sent']:>10}   POST errors {result['post_errors']}")
    print(f"  POST latency p50 / p99  {result['post_ms_p50']:>10.1f} / {result['post_ms_p99']:.1f} ms")
    if "longest_task_ms" in result:
        print(f"  longest main-thread task{result['longest_task_ms']:>10.1f} ms   ({result['longest_task_cpu_ms']:.1f} ms of CPU)"
              f"   tasks over 50 ms: {result['long_tasks_over_50ms']}")
    else:
        print(f"  tasks over 50 ms        {result['long_tasks_over_50ms']:>10}   (no trace: --no-trace)")
    print(f"  renderer CPU            {result['renderer_cpu_ms']:>10.0f} ms in {result['seconds']} s of sending and 2 s after")
    print(f"  DOM rows max / at end   {result['max_dom_rows']:>10} / {result['final_dom_rows']}")
    print(f"  received live / skipped {result['received_live']:>10} / {result['skipped']}   rows displayed {result['rows_displayed']}")
    print(f"  ingest-to-display p50   {result['latency_ms_p50']:>10.1f} ms")
    print(f"  ingest-to-display p99   {result['latency_ms_p99']:>10.1f} ms   (max {result['latency_ms_max']:.1f} ms)")
    print(f"  frame-to-display p50/p99{result['page_latency_ms_p50']:>10.1f} / {result['page_latency_ms_p99']:.1f} ms   (the page's own share)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rate", type=int, default=1000, help="Events per second to send (default 1000).")
    parser.add_argument("--seconds", type=float, default=30.0, help="How long to send, in seconds (default 30).")
    parser.add_argument("--batch", type=int, default=50, help="Events per /v1/batch request (default 50).")
    parser.add_argument("--trace", help="Also write Chromium's trace to this file (open it in DevTools' Performance panel).")
    parser.add_argument("--no-trace", action="store_true", help="Do not trace: no longest-task figure, but no tracing overhead.")
    parser.add_argument("--screenshot", help="Save a PNG of the page halfway through the load to this path.")
    args = parser.parse_args()
    result = measure(args.rate, args.seconds, args.batch, not args.no_trace, args.trace, args.screenshot)
    report(result)
    out = PROJECT_DIR / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"page-{time.strftime('%Y%m%d-%H%M%S')}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"  written to {path.relative_to(PROJECT_DIR)}")


if __name__ == "__main__":
    main()
