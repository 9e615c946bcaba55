"""
Closed-loop load with wrk: a fixed number of connections, each sending its
next request as soon as the previous response arrives, for a fixed time.

The Lua scripts in bench/wrk/ build every body with fresh random message ids
and count the responses by status. Their ``done`` hook prints one
``BENCH_RESULT {json}`` line, which ``run_wrk`` reads.
"""
import json
import os
import subprocess
from dataclasses import dataclass

WRK = os.environ.get("BENCH_WRK", "/usr/bin/wrk")
LUA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "wrk")
RESULT_PREFIX = "BENCH_RESULT "


@dataclass(frozen=True)
class Endpoint:
    """One kind of ingest request: its wrk script and the events each request carries."""

    name: str
    path: str
    script: str
    events_per_request: int


ENDPOINTS = {
    "track": Endpoint("track", "/v1/track", "track.lua", 1),
    "batch": Endpoint("batch", "/v1/batch", "batch.lua", 100),
    "t": Endpoint("t", "/v1/t", "t.lua", 1),
}


@dataclass
class LoadResult:
    duration_s: float
    requests: int
    statuses: dict[int, int]
    socket_errors: dict[str, int]
    latency_p50_ms: float
    latency_p99_ms: float

    @property
    def ok(self) -> int:
        """Requests with status 200, the only success status that SDKs accept."""
        return self.statuses.get(200, 0)

    def failures(self) -> list[str]:
        """Describe every response with a status other than 200, and every socket error."""
        found = [f"{count} x HTTP {status}" for status, count in sorted(self.statuses.items()) if status != 200]
        found += [f"{count} {kind} errors" for kind, count in self.socket_errors.items() if count and kind != "status"]
        return found


def run_wrk(url: str, endpoint: Endpoint, write_key: str, authorization: str, seconds: float,
            connections: int, threads: int) -> LoadResult:
    """Drive ``url`` with ``endpoint``'s requests for ``seconds``; return what wrk measured."""
    env = dict(os.environ, BENCH_WRITE_KEY=write_key, BENCH_BASIC_AUTH=authorization)
    command = [
        WRK, "--threads", str(threads), "--connections", str(connections), "--duration", f"{seconds:g}s",
        "--timeout", "30s", "--script", endpoint.script, url + endpoint.path,
    ]
    done = subprocess.run(command, cwd=LUA_DIR, env=env, capture_output=True, text=True, timeout=seconds + 60)
    if done.returncode != 0:
        raise RuntimeError(f"wrk failed with status {done.returncode}: {done.stderr.strip() or done.stdout.strip()}")
    return parse_result(done.stdout)


def parse_result(output: str) -> LoadResult:
    """Read the BENCH_RESULT line that bench/wrk/common.lua prints."""
    line = next((line for line in output.splitlines() if line.startswith(RESULT_PREFIX)), None)
    if line is None:
        raise RuntimeError(f"wrk printed no {RESULT_PREFIX.strip()} line; its output was:\n{output}")
    data = json.loads(line[len(RESULT_PREFIX):])
    latency = data["latency_us"]
    return LoadResult(
        duration_s=data["duration_us"] / 1e6,
        requests=data["requests"],
        statuses={int(status): count for status, count in data["statuses"].items()},
        socket_errors=data["errors"],
        latency_p50_ms=latency["p50"] / 1000,
        latency_p99_ms=latency["p99"] / 1000,
    )
