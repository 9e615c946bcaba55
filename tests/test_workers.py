"""
Several Daphne workers on one port (`manage.py serve --workers 2`), sharing
the database and the Redis channel layer.
"""
import asyncio
import json
import os
import time
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from . import live
from .livekit import DebuggerSocket, api_get_all

pytestmark = pytest.mark.live

@pytest.fixture(scope="module", params=["daphne", "uvicorn"])
def two_workers(request, tmp_path_factory):
    redis_url = live.redis_url_or_skip()
    server = live.start_server(
        tmp_path_factory.mktemp("workers"), workers=2, extra_env={"REDIS_URL": redis_url}, server_kind=request.param,
    )
    yield server
    live.stop_server(server)


def post_track(server, message: dict) -> int:
    request = urllib.request.Request(
        server.url + "/v1/track", data=json.dumps(message).encode(), method="POST",
        headers={"Content-Type": "application/json", "Authorization": live.basic_auth(server.write_key)},
    )
    with urllib.request.urlopen(request, timeout=15) as response:
        return response.status


def test_two_worker_processes_serve(two_workers):
    serve = two_workers.processes[0]
    children = os.popen(f"pgrep -P {serve.pid}").read().split()
    # uvicorn's multiprocessing also starts a resource tracker, which serves nothing.
    workers = [pid for pid in children if b"resource_tracker" not in open(f"/proc/{pid}/cmdline", "rb").read()]
    assert len(workers) == 2


def test_dedup_holds_across_workers(two_workers):
    message_id = f"race-{uuid.uuid4()}"
    message = {"userId": "u_race", "event": "Plan Upgraded", "messageId": message_id, "properties": {"plan": "pro"}}
    # New connections each time, so the kernel spreads them over both workers.
    with ThreadPoolExecutor(max_workers=12) as pool:
        statuses = list(pool.map(lambda _: post_track(two_workers, message), range(24)))
    assert statuses == [200] * 24
    deadline = time.monotonic() + 10
    while True:
        events = api_get_all(two_workers, f"/api/events/?source=live&message_id={message_id}")
        if events and events[0]["duplicate_count"] == 23 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(events) == 1
    assert events[0]["duplicate_count"] == 23


async def _clients_on_both_workers(server, user_id: str, attempts: int = 60):
    """
    Open debugger sockets until two are served by different workers; close the rest.

    The kernel hands each connection to whichever worker accepts first, often
    the same one many times in a row, so the attempts pause between sockets.
    """
    by_worker: dict[str, DebuggerSocket] = {}
    extra = []
    for _ in range(attempts):
        socket = DebuggerSocket(server, filters={"user": user_id})
        await socket.__aenter__()
        worker = socket.hello["server"]
        if worker in by_worker:
            extra.append(socket)
        else:
            by_worker[worker] = socket
        if len(by_worker) == 2:
            break
        await asyncio.sleep(0.05)
    for socket in extra:
        await socket.__aexit__(None, None, None)
    return list(by_worker.values())


async def _watch_both_workers(server, user_id: str, count: int):
    sockets = await _clients_on_both_workers(server, user_id)
    assert len(sockets) == 2, "no two debugger sockets landed on different workers"
    messages = [{"userId": user_id, "event": "Report Exported", "properties": {"n": n}} for n in range(count)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = await asyncio.get_running_loop().run_in_executor(
            None, lambda: list(pool.map(lambda message: post_track(server, message), messages))
        )
    received = [await socket.collect_events(count) for socket in sockets]
    for socket in sockets:
        await socket.__aexit__(None, None, None)
    return statuses, received


def test_debugger_on_any_worker_sees_every_event(two_workers):
    user_id = f"fanout-{uuid.uuid4().hex[:8]}"
    statuses, received = asyncio.run(_watch_both_workers(two_workers, user_id, 30))
    assert statuses == [200] * 30
    for events in received:
        assert sorted(event["payload"]["properties"]["n"] for event in events) == list(range(30))
