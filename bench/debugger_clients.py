"""
Live debugger websocket clients that keep up, as a browser tab with the
debugger open would, while a benchmark loads the server.

Each client connects to /ws/debugger/ with a staff API token and an Origin
header, subscribes with no filters and no backfill, reads every frame and
acknowledges event frames, so the server's flow control never counts it as
slow. ``DebuggerClient`` is used in-process by bench/latency.py and bench/soak.py;
run as a script, this module serves bench/run.py:

    python bench/debugger_clients.py --port 8000 --token TOKEN --clients 3

The script prints ``READY`` once every client is subscribed, runs until its
standard input closes or it gets SIGTERM, then prints ``BENCH_CLIENTS {json}``
with what each client received. With ``--until-event NAME`` it first waits
(at most 60 s) until every client has received the track event NAME, so
frames the server still had queued are counted.
"""
import argparse
import asyncio
import json
import signal
import sys
import time
from collections.abc import Callable

import orjson
from websockets.asyncio.client import ClientConnection, connect

# Event frames acknowledged at once; the server's default window is 500.
ACK_EVERY = 20
ACK_INTERVAL_S = 0.1
DRAIN_TIMEOUT_S = 60.0


class DebuggerClient:
    """One subscribed debugger websocket that counts, and optionally inspects, what it receives."""

    def __init__(self, port: int, token: str, on_event: Callable[[dict], None] | None = None,
                 until_event: str | None = None) -> None:
        self.url = f"ws://127.0.0.1:{port}/ws/debugger/"
        self.headers = {"Authorization": f"Token {token}"}
        self.origin = f"http://127.0.0.1:{port}"
        self.on_event = on_event
        self.events = 0
        self.skipped = 0
        self.other_frames: dict[str, int] = {}
        # Ids of the first and last event frames, to tell where missing events were.
        self.first_id: int | None = None
        self.last_id: int | None = None
        # Set when the track event named ``until_event`` arrives.
        self.until_event = until_event
        self.saw_until_event = asyncio.Event()
        self.unacked = 0
        self.connection: ClientConnection | None = None

    async def subscribe(self) -> None:
        """Connect and subscribe; return once the server confirmed the (empty) backfill."""
        self.connection = await connect(
            self.url, additional_headers=self.headers, origin=self.origin, max_size=2**24, open_timeout=30,
        )
        await self.connection.send(json.dumps({"type": "subscribe", "filters": {}, "backfill": 0}))
        while True:
            frame = json.loads(await asyncio.wait_for(self.connection.recv(), timeout=30))
            if frame.get("type") == "error":
                raise RuntimeError(f"The debugger websocket rejected the subscription: {frame.get('message')}")
            if frame.get("type") == "backfill_done":
                return

    async def read(self) -> None:
        """Read frames until the connection closes, acknowledging event frames."""
        assert self.connection is not None
        acker = asyncio.create_task(self._ack_periodically())
        try:
            async for text in self.connection:
                await self._handle(orjson.loads(text))
        finally:
            acker.cancel()

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()

    def summary(self) -> dict:
        return {
            "events": self.events, "skipped": self.skipped, "other_frames": self.other_frames,
            "first_id": self.first_id, "last_id": self.last_id,
        }

    async def _handle(self, frame: dict) -> None:
        kind = frame.get("type")
        if kind == "event":
            self.events += 1
            event_id = frame["event"].get("id")
            if self.first_id is None:
                self.first_id = event_id
            self.last_id = event_id
            if self.until_event and frame["event"].get("payload", {}).get("event") == self.until_event:
                self.saw_until_event.set()
            self.unacked += 1
            if self.on_event is not None:
                self.on_event(frame["event"])
            if self.unacked >= ACK_EVERY:
                await self._ack()
        elif kind == "skipped":
            self.skipped += frame.get("count", 0)
        else:
            self.other_frames[kind] = self.other_frames.get(kind, 0) + 1

    async def _ack(self) -> None:
        count, self.unacked = self.unacked, 0
        await self.connection.send(json.dumps({"type": "ack", "count": count}))

    async def _ack_periodically(self) -> None:
        while True:
            await asyncio.sleep(ACK_INTERVAL_S)
            if self.unacked:
                await self._ack()


async def run_clients(port: int, token: str, count: int, until_event: str | None) -> list[dict]:
    clients = [DebuggerClient(port, token, until_event=until_event) for _ in range(count)]
    await asyncio.gather(*(client.subscribe() for client in clients))
    readers = [asyncio.create_task(client.read()) for client in clients]
    print("READY", flush=True)

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    loop.add_reader(sys.stdin.fileno(), lambda: stop.set() if not sys.stdin.buffer.read1(1024) else None)
    await stop.wait()

    drain_s = None
    if until_event:
        started = time.perf_counter()
        waits = [client.saw_until_event.wait() for client in clients]
        try:
            await asyncio.wait_for(asyncio.gather(*waits), timeout=DRAIN_TIMEOUT_S)
            drain_s = time.perf_counter() - started
        except asyncio.TimeoutError:
            pass
    for client in clients:
        await client.close()
    await asyncio.gather(*readers, return_exceptions=True)
    # Seconds between the stop request and the last client receiving until_event; None if one never did.
    return [dict(client.summary(), drain_s=drain_s) for client in clients]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, required=True, help="Port of the Trackside server on 127.0.0.1.")
    parser.add_argument("--token", required=True, help="API token of a staff user (manage.py drf_create_token).")
    parser.add_argument("--clients", type=int, default=3, help="Websocket clients to connect (default 3).")
    parser.add_argument("--until-event", help="Track event name every client must receive before stopping.")
    args = parser.parse_args()
    summaries = asyncio.run(run_clients(args.port, args.token, args.clients, args.until_event))
    print("BENCH_CLIENTS " + json.dumps(summaries), flush=True)


if __name__ == "__main__":
    main()
