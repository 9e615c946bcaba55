"""
Ingest-to-websocket latency: the time from sending an event to its frame
arriving on a live debugger websocket, at a fixed event rate.

    python bench/latency.py --db sqlite --rate 1000 --seconds 20

Starts a fresh Trackside, connects one debugger client, sends track events at
``--rate`` events/s (single /v1/track requests, or /v1/batch with --batch N)
and prints the p50/p99 of send-to-frame latency for the events sent after the
warm-up. The target is a p99 under 100 ms at 1,000 events/s.
"""
import argparse
from datetime import datetime
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

import servers
from databases import KINDS
from debugger_clients import DebuggerClient
from sender import SendStats, percentile, send_at_rate

TARGET_P99_MS = 100
# How long to wait, after the last response, for frames still on their way.
DRAIN_S = 10.0


class LatencyRecorder:
    """Collect the send time and send-to-arrival latency of every event frame."""

    def __init__(self) -> None:
        self.measure_from = float("inf")
        self.samples: list[tuple[float, float]] = []
        # From the server's receivedAt to the frame's arrival, both on the wall clock:
        # this leaves out the time a request waited in the sender or in the server's queue.
        self.server_samples: list[tuple[float, float]] = []

    def on_event(self, event: dict) -> None:
        arrived = time.perf_counter()
        arrived_wall = time.time()
        payload = event.get("payload", {})
        sent = payload.get("properties", {}).get("bench_sent")
        if isinstance(sent, (int, float)):
            self.samples.append((sent, (arrived - sent) * 1000))
            received = payload.get("receivedAt")
            if isinstance(received, str):
                received_at = datetime.fromisoformat(received.replace("Z", "+00:00")).timestamp()
                self.server_samples.append((sent, (arrived_wall - received_at) * 1000))

    def server_latencies_ms(self) -> list[float]:
        measured = [latency for sent, latency in self.server_samples if sent >= self.measure_from]
        return measured or [latency for _, latency in self.server_samples]

    def latencies_ms(self) -> tuple[list[float], str]:
        """Return the latencies of events sent after the warm-up, or of all events when there are none."""
        measured = [latency for sent, latency in self.samples if sent >= self.measure_from]
        if measured:
            return measured, "after the warm-up"
        # A sender that fell behind never reached the measured part of its schedule.
        return [latency for _, latency in self.samples], "in the whole run (none was sent after the warm-up)"


async def measure_latency(server: servers.Server, args: argparse.Namespace) -> tuple[SendStats, LatencyRecorder, DebuggerClient]:
    recorder = LatencyRecorder()
    client = DebuggerClient(server.port, server.token, on_event=recorder.on_event)
    await client.subscribe()
    reader = asyncio.create_task(client.read())
    recorder.measure_from = time.perf_counter() + args.warmup
    stats = await send_at_rate(
        server.url, server.basic_authorization(), args.rate, args.warmup + args.seconds, args.batch,
    )
    deadline = time.perf_counter() + DRAIN_S
    while client.events + client.skipped < stats.events_ok and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    await client.close()
    await asyncio.gather(reader, return_exceptions=True)
    return stats, recorder, client


def print_report(args: argparse.Namespace, stats: SendStats, recorder: LatencyRecorder, client: DebuggerClient) -> bool:
    """Print the figures; return whether the run is a valid result (all 200, every event seen)."""
    achieved = stats.events_ok / stats.seconds
    latencies, sample_description = recorder.latencies_ms()
    p99 = percentile(latencies, 0.99)
    print(f"Sent {stats.requests} of {stats.scheduled} scheduled requests ({args.batch} event(s) each) "
          f"in {stats.seconds:.1f} s: {achieved:,.0f} events/s with status 200 of {args.rate:,.0f} scheduled")
    print(f"HTTP statuses: {dict(stats.statuses)}; connection errors: {dict(stats.errors) or 'none'}")
    print(f"HTTP response time: p50 {percentile(stats.response_ms, 0.5):.1f} ms, "
          f"p99 {percentile(stats.response_ms, 0.99):.1f} ms")
    print(f"Debugger client: {client.events} event frames, {client.skipped} reported skipped, "
          f"of {stats.events_ok} events with status 200")
    print(f"Send-to-websocket latency over {len(latencies)} events {sample_description}: "
          f"p50 {percentile(latencies, 0.5):.1f} ms, p90 {percentile(latencies, 0.9):.1f} ms, "
          f"p99 {p99:.1f} ms, max {max(latencies, default=0):.1f} ms")
    stored = recorder.server_latencies_ms()
    print(f"receivedAt-to-websocket latency (the server's clock from arrival): "
          f"p50 {percentile(stored, 0.5):.1f} ms, p90 {percentile(stored, 0.9):.1f} ms, "
          f"p99 {percentile(stored, 0.99):.1f} ms (receivedAt has millisecond precision)")

    missing = stats.events_ok - client.events
    if client.skipped > missing:
        # Seen when broadcasts of concurrent requests reach the consumer out of order.
        print(f"Note: the server reported {client.skipped - missing} more skipped events than were missing")
    valid = set(stats.statuses) <= {200} and not stats.errors and 0 <= missing <= client.skipped
    print(verdict(args.rate, achieved, p99, client.skipped, valid))
    return valid


def verdict(rate: float, achieved: float, p99: float, skipped: int, valid: bool) -> str:
    target = f"p99 < {TARGET_P99_MS} ms at {rate:,.0f} events/s"
    if not valid:
        return f"UNKNOWN  {target}: non-200 responses, connection errors, or events neither delivered nor reported skipped"
    if achieved < 0.95 * rate:
        return f"NOT MET  {target}: the server kept only {achieved:,.0f} events/s, so events queued (p99 {p99:.0f} ms)"
    if skipped:
        return f"NOT MET  {target}: the debugger skipped {skipped} events by flow control (p99 {p99:.1f} ms)"
    return f"{'met    ' if p99 < TARGET_P99_MS else 'NOT MET'}  {target}: {p99:.1f} ms"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", choices=KINDS, default="sqlite", help="Database (default sqlite).")
    parser.add_argument("--rate", type=float, default=1000, help="Events per second to send (default 1000).")
    parser.add_argument("--seconds", type=float, default=20, help="Seconds measured after the warm-up (default 20).")
    parser.add_argument("--warmup", type=float, default=3, help="Seconds sent before measuring (default 3).")
    parser.add_argument("--batch", type=int, default=1,
                        help="Events per request: 1 posts /v1/track, more posts /v1/batch (default 1).")
    parser.add_argument("--workers", type=int, default=1, help="Trackside processes (default 1); more need Redis.")
    parser.add_argument("--redis-url", default=servers.DEFAULT_REDIS_URL,
                        help=f"Redis for several workers (default {servers.DEFAULT_REDIS_URL}).")
    return parser.parse_args()


def main() -> int:
    args = parse_arguments()
    folder = Path(tempfile.mkdtemp(prefix="trackside-latency-"))
    redis_url = args.redis_url if args.workers > 1 else None
    server = servers.start_trackside(args.db, folder, args.workers, redis_url)
    print(f"Trackside on {args.db} with {args.workers} worker(s) at {server.url}; server log {server.log_path}")
    try:
        stats, recorder, client = asyncio.run(measure_latency(server, args))
    finally:
        servers.stop_server(server)
    if not print_report(args, stats, recorder, client):
        print(f"Server log kept in {folder}")
        return 1
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
