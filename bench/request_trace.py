"""
Anatomy of one ingest request inside Trackside's ASGI application, without
a server or concurrency: threads started, sync/async switches, database
connections opened and CPU time per request.

    python bench/request_trace.py --requests 300 --endpoint track [--profile out/trace]

Calls ``tracker.asgi.application`` directly, one request after another, on a
fresh SQLite database, after a warm-up. Counting is done by wrapping
``threading.Thread.start``, asgiref's ``SyncToAsync.__call__`` and
``AsyncToSync.__call__``, and Django's ``connection_created`` signal, so the
figures are exact per request; CPU time is the process's own, which on one
connection shows the framework's cost without the contention of many. With
--profile, py-spy samples the counted requests only (not the start-up) and
writes an SVG flame graph and collapsed stacks for bench/profiling.py.
"""
import argparse
import asyncio
import base64
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

import servers

COUNTS: Counter = Counter()


def configure_django(folder: Path) -> None:
    for name in servers.SERVER_VARIABLES:
        os.environ.pop(name, None)
    os.environ.update({
        "TRACKSIDE_DATA_DIR": str(folder),
        "DATABASE_URL": f"sqlite:///{folder / 'trace.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
    })
    sys.path.insert(0, str(servers.PROJECT_DIR))


def install_counters() -> None:
    """Wrap the calls to count; every wrapper delegates to the original."""
    from asgiref import sync
    from django.db.backends.signals import connection_created

    original_start = threading.Thread.start

    def counting_start(thread, *args, **kwargs):
        COUNTS["threads started"] += 1
        return original_start(thread, *args, **kwargs)

    threading.Thread.start = counting_start
    for cls, label in ((sync.SyncToAsync, "sync_to_async calls"), (sync.AsyncToSync, "async_to_sync calls")):
        original_call = cls.__call__

        def counting_call(self, *args, _original=original_call, _label=label, **kwargs):
            COUNTS[_label] += 1
            return _original(self, *args, **kwargs)

        cls.__call__ = counting_call
    connection_created.connect(lambda **kwargs: COUNTS.update(["database connections opened"]), weak=False)


def request_body(endpoint: str, batch_size: int) -> bytes:
    message = {
        "type": "track", "event": "Order Completed", "userId": "user-1", "messageId": str(uuid.uuid4()),
        "properties": {"revenue": 19.99, "currency": "USD"},
    }
    if endpoint == "batch":
        batch = [dict(message, messageId=str(uuid.uuid4())) for _ in range(batch_size)]
        return json.dumps({"batch": batch}).encode()
    return json.dumps(message).encode()


async def call_application(application, path: str, body: bytes, authorization: bytes) -> int:
    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
        "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"content-type", b"application/json"),
                    (b"authorization", authorization), (b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 40000), "server": ("127.0.0.1", 8000),
    }
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    status = []

    async def receive():
        if messages:
            return messages.pop(0)
        await asyncio.sleep(3600)

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    await application(scope, receive, send)
    return status[0]


def start_profilers(prefix: Path) -> list[subprocess.Popen]:
    """Sample this process with py-spy, holding the GIL only, until ``stop_profilers``."""
    from profiling import SAMPLES_PER_SECOND, py_spy

    prefix.parent.mkdir(parents=True, exist_ok=True)
    profilers = []
    for kind, suffix in (("flamegraph", "svg"), ("raw", "txt")):
        command = [py_spy(), "record", "--pid", str(os.getpid()), "--gil", "--rate", str(SAMPLES_PER_SECOND),
                   "--format", kind, "--output", f"{prefix}.{suffix}"]
        profilers.append(subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    time.sleep(1)  # py-spy attaches before the counted requests start.
    return profilers


def stop_profilers(profilers: list[subprocess.Popen]) -> None:
    for profiler in profilers:
        profiler.send_signal(signal.SIGINT)
    for profiler in profilers:
        profiler.wait(timeout=60)


async def trace(endpoint: str, batch_size: int, requests: int, warmup: int, write_key: str,
                profile: Path | None) -> None:
    from tracker.asgi import application

    path = "/v1/batch" if endpoint == "batch" else "/v1/track"
    authorization = b"Basic " + base64.b64encode(f"{write_key}:".encode())
    for _ in range(warmup):
        await call_application(application, path, request_body(endpoint, batch_size), authorization)
    profilers = start_profilers(profile) if profile else []
    COUNTS.clear()
    statuses: Counter = Counter()
    cpu_before, wall_before = time.process_time(), time.perf_counter()
    try:
        for _ in range(requests):
            statuses[await call_application(application, path, request_body(endpoint, batch_size), authorization)] += 1
        cpu, wall = time.process_time() - cpu_before, time.perf_counter() - wall_before
    finally:
        stop_profilers(profilers)
    events = requests * (batch_size if endpoint == "batch" else 1)
    print(f"{requests} sequential {path} requests ({events} events), statuses {dict(statuses)}")
    print(f"CPU per request {1000 * cpu / requests:.2f} ms, per event {1000 * cpu / events:.3f} ms; "
          f"wall per request {1000 * wall / requests:.2f} ms")
    for label, count in sorted(COUNTS.items()):
        print(f"  {label} per request: {count / requests:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--endpoint", choices=("track", "batch"), default="track", help="Request kind (default track).")
    parser.add_argument("--batch-size", type=int, default=100, help="Messages per batch request (default 100).")
    parser.add_argument("--requests", type=int, default=300, help="Requests counted (default 300).")
    parser.add_argument("--warmup", type=int, default=50, help="Requests sent before counting (default 50).")
    parser.add_argument("--profile", type=Path, help="Path prefix for a py-spy profile of the counted requests.")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="trackside-trace-"))
    configure_django(folder)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from tracker.models import Source

    write_key = Source.objects.create(name="trace").write_key
    install_counters()
    try:
        asyncio.run(trace(args.endpoint, args.batch_size, args.requests, args.warmup, write_key, args.profile))
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
