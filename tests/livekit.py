"""Helpers for tests against the live server: reading the API and watching the websocket."""
import asyncio
import json
import time
import urllib.request

import websockets


def api_get_all(server, path: str) -> list[dict]:
    url = server.url + path
    results = []
    while url:
        request = urllib.request.Request(url, headers={"Authorization": f"Token {server.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            data = json.loads(response.read())
        results.extend(data["results"])
        url = data["next"]
    return results


def wait_for_events(server, path: str, count: int, timeout: float = 20.0) -> list[dict]:
    """Poll the read API until ``count`` events match ``path``; return them."""
    deadline = time.monotonic() + timeout
    events = api_get_all(server, path)
    while len(events) < count and time.monotonic() < deadline:
        time.sleep(0.1)
        events = api_get_all(server, path)
    return events


class DebuggerSocket:
    """A websocket client of /ws/debugger/ that collects every frame it receives."""

    def __init__(self, server, filters: dict | None = None, ack: bool = True):
        self.server = server
        self.filters = filters or {}
        self.ack = ack
        self.frames: list[dict] = []

    async def __aenter__(self):
        self.connection = await websockets.connect(
            f"ws://{self.server.host}/ws/debugger/",
            additional_headers={"Authorization": f"Token {self.server.token}"},
            origin=f"http://{self.server.host}",
            max_size=None,
        )
        self.hello = await self.expect("hello")
        await self.connection.send(json.dumps({"type": "subscribe", "filters": self.filters, "backfill": 0}))
        await self.expect("backfill_done")
        return self

    async def __aexit__(self, *exc):
        await self.connection.close()

    async def receive(self, timeout: float) -> dict:
        frame = json.loads(await asyncio.wait_for(self.connection.recv(), timeout))
        self.frames.append(frame)
        if self.ack and frame.get("type") == "event":
            await self.connection.send(json.dumps({"type": "ack", "count": 1}))
        return frame

    async def expect(self, kind: str, timeout: float = 10.0) -> dict:
        while True:
            frame = await self.receive(timeout)
            if frame.get("type") == kind:
                return frame

    async def collect_events(self, count: int, timeout: float = 20.0) -> list[dict]:
        deadline = time.monotonic() + timeout
        events = [frame["event"] for frame in self.frames if frame.get("type") == "event"]
        while len(events) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            try:
                frame = await self.receive(remaining)
            except asyncio.TimeoutError:
                break
            if frame.get("type") == "event":
                events.append(frame["event"])
        return events
