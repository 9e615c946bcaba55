"""
Memory soak: a steady event rate for minutes while the server's resident
memory (summed over its worker processes) is sampled.

    python bench/soak.py --minutes 10 --rate 1000

Starts a fresh Trackside with one debugger client connected, sends track
events at ``--rate`` events/s, and prints the RSS every ``--interval``
seconds, then the start and end RSS. Not part of CI: the default run takes
ten minutes.
"""
import argparse
import asyncio
import shutil
import sys
import tempfile
import time
from pathlib import Path

import procstat
import servers
from databases import KINDS, count_rows
from debugger_clients import DebuggerClient
from sender import SendStats, percentile, send_at_rate

MB = 2**20
DRAIN_S = 60.0


async def sample_rss(server: servers.Server, interval: float, samples: list[tuple[float, int]], started: float) -> None:
    while True:
        samples.append((time.perf_counter() - started, procstat.rss_bytes(server.pids())))
        print(f"  {samples[-1][0]:6.0f} s  RSS {samples[-1][1] / MB:8.1f} MB", flush=True)
        await asyncio.sleep(interval)


async def soak(server: servers.Server, args: argparse.Namespace) -> tuple[SendStats, list[tuple[float, int]], DebuggerClient | None]:
    client = None
    reader = None
    if args.debuggers:
        client = DebuggerClient(server.port, server.token)
        await client.subscribe()
        reader = asyncio.create_task(client.read())
    samples: list[tuple[float, int]] = []
    sampler = asyncio.create_task(sample_rss(server, args.interval, samples, time.perf_counter()))
    try:
        stats = await send_at_rate(server.url, server.basic_authorization(), args.rate, args.minutes * 60, args.batch)
    finally:
        sampler.cancel()
    await asyncio.sleep(2)
    samples.append((samples[-1][0] + 2 if samples else 0, procstat.rss_bytes(server.pids())))
    if client is not None:
        # Frames the server still has queued for the client arrive after the load ends.
        deadline = time.perf_counter() + DRAIN_S
        while client.events + client.skipped < stats.events_ok and time.perf_counter() < deadline:
            await asyncio.sleep(0.2)
        await client.close()
        await asyncio.gather(reader, return_exceptions=True)
    return stats, samples, client


def print_report(server: servers.Server, stats: SendStats, samples: list[tuple[float, int]],
                 client: DebuggerClient | None, args: argparse.Namespace) -> bool:
    stored = count_rows(server.database, server.events_table)
    achieved = stats.events_ok / stats.seconds
    print(f"Sent {stats.requests} of {stats.scheduled} scheduled requests in {stats.seconds:.0f} s: "
          f"{achieved:,.0f} events/s with status 200 of {args.rate:,.0f} scheduled")
    print(f"HTTP statuses: {dict(stats.statuses)}; connection errors: {dict(stats.errors) or 'none'}; "
          f"response time p50 {percentile(stats.response_ms, 0.5):.1f} ms, p99 {percentile(stats.response_ms, 0.99):.1f} ms")
    print(f"Events stored: {stored} (with status 200: {stats.events_ok})")
    if client is not None:
        unaccounted = stats.events_ok - client.events - client.skipped
        print(f"Debugger client: {client.events} event frames, {client.skipped} reported skipped, "
              f"{unaccounted} neither (still queued after {DRAIN_S:.0f} s, or skipped but not yet reported)")
    if samples:
        # The first sample is taken as the load starts; the second, one interval
        # later, is the warmed-up size that a leak would grow from.
        start, end = samples[0][1], samples[-1][1]
        warmed_at, warmed = samples[1] if len(samples) > 1 else samples[0]
        growth = end - warmed
        print(f"RSS at start {start / MB:.1f} MB, after {warmed_at:.0f} s {warmed / MB:.1f} MB, "
              f"at end {end / MB:.1f} MB (since {warmed_at:.0f} s: {growth / MB:+.1f} MB, "
              f"{100 * growth / max(warmed, 1):+.1f}%)")
    valid = set(stats.statuses) <= {200} and not stats.errors and stored >= stats.events_ok
    if not valid:
        print("PROBLEM  non-200 responses, connection errors, or fewer events stored than got status 200")
    return valid


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10, help="Minutes of load (default 10).")
    parser.add_argument("--rate", type=float, default=1000, help="Events per second to send (default 1000).")
    parser.add_argument("--batch", type=int, default=1,
                        help="Events per request: 1 posts /v1/track, more posts /v1/batch (default 1).")
    parser.add_argument("--interval", type=float, default=10, help="Seconds between RSS samples (default 10).")
    parser.add_argument("--debuggers", type=int, default=1, choices=(0, 1),
                        help="Debugger websocket clients connected during the soak (default 1).")
    parser.add_argument("--db", choices=KINDS, default="sqlite", help="Database (default sqlite).")
    parser.add_argument("--workers", type=int, default=1, help="Trackside processes (default 1); more need Redis.")
    parser.add_argument("--redis-url", default=servers.DEFAULT_REDIS_URL,
                        help=f"Redis for several workers (default {servers.DEFAULT_REDIS_URL}).")
    return parser.parse_args()


def main() -> int:
    args = parse_arguments()
    folder = Path(tempfile.mkdtemp(prefix="trackside-soak-"))
    server = servers.start_trackside(args.db, folder, args.workers, args.redis_url if args.workers > 1 else None)
    print(f"Trackside on {args.db} with {args.workers} worker(s) at {server.url}; server log {server.log_path}")
    print(f"Soaking at {args.rate:,.0f} events/s for {args.minutes:g} minutes; RSS of the server processes:")
    try:
        stats, samples, client = asyncio.run(soak(server, args))
        valid = print_report(server, stats, samples, client, args)
    finally:
        servers.stop_server(server)
    if not valid:
        print(f"Server log kept in {folder}")
        return 1
    shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
