"""
Open-loop load at a fixed event rate, for latency and soak measurements.

Unlike wrk, which sends as fast as responses come back, ``send_at_rate`` starts
each request at its scheduled time, whatever the server's speed. Each event
carries its scheduled send time in ``properties.bench_sent`` (seconds of
``time.perf_counter()`` in this process), so a debugger client in the same
process can measure send-to-arrival latency. Requests in flight are capped,
so when the server falls behind, sending pauses and the shortfall shows as a
lower achieved rate instead of an unbounded queue in this process. Sending
stops at the end of ``seconds`` even when requests are left unsent.
"""
import asyncio
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import aiohttp


@dataclass
class SendStats:
    scheduled: int = 0
    requests: int = 0
    # Events in requests that got status 200.
    events_ok: int = 0
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    response_ms: list[float] = field(default_factory=list)
    started: float = 0.0
    finished: float = 0.0

    @property
    def seconds(self) -> float:
        return max(self.finished - self.started, 1e-9)


def track_message(sent_at: float, sequence: int) -> dict:
    return {
        "type": "track",
        "event": "Order Completed",
        "userId": f"user-{sequence % 5000}",
        "messageId": str(uuid.uuid4()),
        "properties": {"order_id": f"ord-{sequence}", "revenue": 19.99, "currency": "USD", "bench_sent": sent_at},
        "context": {"library": {"name": "analytics-node", "version": "2.1.0"}},
    }


async def send_at_rate(url: str, authorization: str, events_per_s: float, seconds: float, batch_size: int = 1,
                       connections: int = 64, max_in_flight: int = 256) -> SendStats:
    """POST track events to ``url`` at ``events_per_s`` for ``seconds``; single events, or batches of ``batch_size``."""
    stats = SendStats()
    requests_per_s = events_per_s / batch_size
    total = int(requests_per_s * seconds)
    path = "/v1/track" if batch_size == 1 else "/v1/batch"
    headers = {"Authorization": authorization}
    slots = asyncio.Semaphore(max_in_flight)
    connector = aiohttp.TCPConnector(limit=connections)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, headers=headers) as session:
        stats.started = time.perf_counter()
        stop_at = stats.started + seconds
        stats.scheduled = total
        pending: set[asyncio.Task] = set()
        for index in range(total):
            scheduled = stats.started + index / requests_per_s
            delay = scheduled - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            if not await _acquire_before(slots, stop_at):
                break
            body = _body(scheduled, index, batch_size)
            task = asyncio.create_task(_post(session, url + path, body, batch_size, stats, slots))
            pending.add(task)
            task.add_done_callback(pending.discard)
        await asyncio.gather(*pending)
        stats.finished = time.perf_counter()
    return stats


async def _acquire_before(slots: asyncio.Semaphore, deadline: float) -> bool:
    """Take a slot for one more request, unless the run's time is over first."""
    try:
        await asyncio.wait_for(slots.acquire(), timeout=max(0.0, deadline - time.perf_counter()))
    except asyncio.TimeoutError:
        return False
    return True


def _body(sent_at: float, index: int, batch_size: int) -> dict:
    if batch_size == 1:
        return track_message(sent_at, index)
    return {"batch": [track_message(sent_at, index * batch_size + offset) for offset in range(batch_size)]}


async def _post(session: aiohttp.ClientSession, url: str, body: dict, events: int, stats: SendStats,
                slots: asyncio.Semaphore) -> None:
    started = time.perf_counter()
    try:
        async with session.post(url, json=body) as response:
            await response.read()
            stats.statuses[response.status] += 1
            if response.status == 200:
                stats.events_ok += events
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        stats.errors[type(error).__name__] += 1
    finally:
        stats.requests += 1
        stats.response_ms.append((time.perf_counter() - started) * 1000)
        slots.release()


def percentile(values: list[float], fraction: float) -> float:
    """Return the value below which ``fraction`` of ``values`` lie (nearest rank), or 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]
