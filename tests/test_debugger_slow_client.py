"""
The websocket-slow-client case against the live server: a client reads one
frame a second while ten batches arrive a second apart. Ingestion does not
slow down, and the client gets a bounded stream plus notices of what it
missed and where to load it. The server neither grows nor floods its log.
"""
import asyncio
import concurrent.futures
import json
import statistics
import time
from pathlib import Path

import pytest
import websockets

from . import casekit
from .browserkit import create_source, post_json
from .livekit import api_get_all

pytestmark = pytest.mark.live

WINDOW = 500  # the server's default DEBUGGER_WINDOW


def resident_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError(f"no VmRSS line for process {pid}")


def case_bodies(write_key: str) -> list[tuple[str, bytes]]:
    case = json.loads((casekit.CASES_DIR / "websocket-slow-client.json").read_text())
    values = casekit.Keys(write_key=write_key).placeholders()
    bodies = []
    for request in case["requests"]:
        for repetition in range(request.get("repeat", 1)):
            bodies.append((request["path"], casekit.build_body(request, {**values, "R": str(repetition)})))
    return bodies


async def send_spaced(server, write_key: str, spacing: float) -> list[float]:
    """Send the case's batches ``spacing`` seconds apart; return each POST's duration in seconds."""
    durations = []
    for path, body in case_bodies(write_key):
        started = time.monotonic()
        answer = await asyncio.to_thread(post_json, server, path, body, write_key)
        durations.append(time.monotonic() - started)
        assert answer["success"] is True
        await asyncio.sleep(max(0.0, spacing - durations[-1]))
    return durations


async def slow_reader(connection, frames: list, stop: asyncio.Event) -> None:
    """Read one frame a second and never acknowledge, until ``stop`` is set."""
    while not stop.is_set():
        try:
            frames.append(json.loads(await asyncio.wait_for(connection.recv(), timeout=1.0)))
        except asyncio.TimeoutError:
            continue
        await asyncio.sleep(1.0)


async def drain(connection, frames: list) -> None:
    while True:
        try:
            frames.append(json.loads(await asyncio.wait_for(connection.recv(), timeout=2.0)))
        except asyncio.TimeoutError:
            return


async def run_case(server, source: str, write_key: str, baseline_key: str) -> dict:
    baseline = await send_spaced(server, baseline_key, spacing=0.1)
    frames: list[dict] = []
    async with websockets.connect(
        f"ws://{server.host}/ws/debugger/", origin=f"http://{server.host}",
        additional_headers={"Authorization": f"Token {server.token}"}, max_size=None,
    ) as connection:
        await connection.recv()
        await connection.send(json.dumps({"type": "subscribe", "filters": {"source": source}, "backfill": 0}))
        stop = asyncio.Event()
        reader = asyncio.create_task(slow_reader(connection, frames, stop))
        memory_before = resident_kib(server.processes[0].pid)
        durations = await send_spaced(server, write_key, spacing=1.0)
        memory_after = resident_kib(server.processes[0].pid)
        stop.set()
        await reader
        await drain(connection, frames)
    return {"baseline": baseline, "durations": durations, "frames": frames, "memory": (memory_before, memory_after)}


def test_slow_client_gets_bounded_stream(live_server_process):
    server = live_server_process
    source, write_key = create_source(server, "slow")
    _, baseline_key = create_source(server, "slow-baseline")
    log = Path(server.env["TRACKSIDE_DATA_DIR"]) / "server.log"
    warnings_before = log.read_text().count("is behind")

    # A thread of its own, so an event loop left running in this one (by another test) cannot interfere.
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        result = pool.submit(asyncio.run, run_case(server, source, write_key, baseline_key)).result()

    frames = result["frames"]
    events = [frame["event"] for frame in frames if frame["type"] == "event"]
    notices = [frame for frame in frames if frame["type"] == "skipped"]
    stored = api_get_all(server, f"/api/events/?source={source}&limit=1000")
    assert len(stored) == 1000, "ingestion stores everything whatever the viewer does"
    assert len(events) <= WINDOW
    assert notices, "the client is told it missed events"
    assert len(events) + sum(notice["count"] for notice in notices) == 1000

    reloaded = []
    for notice in notices:
        assert notice["reason"] == "slow_client"
        assert notice["reload"].startswith("/api/events/?")
        reloaded += api_get_all(server, notice["reload"] + "&limit=1000")
    delivered = {event["id"] for event in events}
    assert {event["id"] for event in reloaded} | delivered == {event["id"] for event in stored}
    assert not delivered & {event["id"] for event in reloaded}

    # Generous bounds: they fail only when ingestion waits for the websocket or memory follows the backlog.
    assert statistics.median(result["durations"]) < 3 * statistics.median(result["baseline"]) + 0.25
    memory_before, memory_after = result["memory"]
    assert memory_after - memory_before < 50 * 1024
    warnings = log.read_text().count("is behind") - warnings_before
    assert 1 <= warnings <= 2, "falling behind is logged at most once per ten seconds"
