"""
Measure Trackside's ingest throughput against the bare-minimum reference app.

    python bench/run.py --quick                      # every scenario, short runs
    python bench/run.py --scenario track --db sqlite # one endpoint on one database

For each endpoint and database, the reference (bench/reference_app.py) and
Trackside each get a fresh database, the same wrk load, and a check that what
they returned 200 for is stored. Trackside runs with 0 and with N debugger
websocket clients. bench/README.md explains the output.
"""
import argparse
import datetime
import json
import os
import platform
import sys
from importlib import metadata
from pathlib import Path

import measure
import report
import servers
from databases import KINDS
from load import ENDPOINTS

BENCH_DIR = Path(__file__).resolve().parent
# Two workers on the two cores of the development machine: single events went
# from 1,224 to 1,943 requests/s with Daphne (bench/RESULTS.md).
DEFAULT_WORKERS = 2


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="Short runs: 5 s of load after a 1 s warm-up.")
    parser.add_argument("--scenario", action="append", choices=sorted(ENDPOINTS),
                        help="Endpoint to measure; repeat for several (default: all).")
    parser.add_argument("--db", action="append", choices=KINDS, help="Database; repeat for both (default: both).")
    parser.add_argument("--debuggers", type=int, action="append",
                        help="Debugger websocket clients for a Trackside run; repeat (default: 0 and 3).")
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS,
                        help=f"Trackside processes (default {DEFAULT_WORKERS}); more than 1 uses manage.py serve and Redis.")
    parser.add_argument("--reference-workers", type=int, default=1, help="uvicorn processes of the reference (default 1).")
    parser.add_argument("--seconds", type=float, help="Seconds of measured load per run (default 20, --quick 5).")
    parser.add_argument("--warmup", type=float, help="Seconds of unmeasured load first (default 3, --quick 1).")
    parser.add_argument("--connections", type=int, default=64, help="Concurrent wrk connections (default 64).")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (default 1, to leave the cores to the servers).")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", servers.DEFAULT_REDIS_URL),
                        help=f"Redis for several workers; flushed before each run (default {servers.DEFAULT_REDIS_URL}).")
    parser.add_argument("--no-reference", action="store_true", help="Measure Trackside only.")
    parser.add_argument("--profile", action="store_true",
                        help="Record py-spy flame graphs of the Trackside workers during each measured run.")
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "out",
                        help="Folder for the JSON results and profiles (default bench/out).")
    return parser.parse_args()


def machine_summary(args: argparse.Namespace) -> str:
    cpu = next(
        (line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
         if line.startswith("model name")),
        platform.processor(),
    )
    versions = ", ".join(f"{name} {metadata.version(name)}" for name in ("Django", "daphne", "channels", "uvicorn"))
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (
        f"{datetime.datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; {os.cpu_count()} CPUs ({cpu}); "
        f"Python {platform.python_version()}; {versions}; load average before: {load}\n"
        f"Trackside workers: {args.workers}; reference workers: {args.reference_workers}; "
        f"wrk: {args.connections} connections, {args.wrk_threads} thread(s)"
    )


def plan(args: argparse.Namespace) -> list[tuple[str, str, str, int]]:
    """List (server, endpoint, database, debugger clients) in the order they run."""
    endpoints = args.scenario or list(ENDPOINTS)
    databases = args.db or list(KINDS)
    debuggers = args.debuggers if args.debuggers is not None else [0, 3]
    steps = []
    for database in databases:
        for endpoint in endpoints:
            if not args.no_reference:
                steps.append(("reference", endpoint, database, 0))
            steps += [("trackside", endpoint, database, count) for count in debuggers]
    return steps


def main() -> int:
    args = parse_arguments()
    if args.workers < 1 or args.reference_workers < 1:
        sys.exit("--workers and --reference-workers must be at least 1.")
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    seconds = args.seconds or (5 if args.quick else 20)
    warmup = args.warmup
    if warmup is None:
        warmup = 1 if args.quick else 3
    settings = measure.Settings(
        seconds=seconds,
        warmup_seconds=warmup,
        connections=args.connections,
        wrk_threads=args.wrk_threads,
        trackside_workers=args.workers,
        reference_workers=args.reference_workers,
        redis_url=args.redis_url,
        profile_dir=args.output / f"profile-{stamp}" if args.profile else None,
    )
    print(machine_summary(args), flush=True)
    measurements = []
    for server_name, endpoint, database, debuggers in plan(args):
        print(f"... {server_name} {endpoint} {database} ws={debuggers}", flush=True)
        measurements.append(measure.measure(server_name, ENDPOINTS[endpoint], database, debuggers, settings))

    print()
    print(report.format_table(measurements))
    print()
    print("Targets (bench/latency.py measures the ingest-to-websocket latency):")
    for line in report.target_lines(measurements):
        print("  " + line)
    args.output.mkdir(parents=True, exist_ok=True)
    path = args.output / f"run-{stamp}.json"
    path.write_text(json.dumps({
        "machine": machine_summary(args),
        "settings": {key: str(value) for key, value in vars(settings).items()},
        "measurements": [m.as_dict() for m in measurements],
    }, indent=2))
    print(f"\nResults saved to {path}")
    if settings.profile_dir is not None:
        print(f"Profiles in {settings.profile_dir}; top frames: python bench/profiling.py {settings.profile_dir}/*.txt")
    return 1 if any(m.problems for m in measurements) else 0


if __name__ == "__main__":
    sys.exit(main())
