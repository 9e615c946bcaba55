"""
One measurement: a fresh server, optional debugger clients, a warm-up, the
measured wrk run, and a check that every event sent with a 200 response is stored.

The check matters as much as the speed: a server that drops events or
returns errors quickly is not a result, so each problem found is listed with
the measurement and printed beside its row.
"""
import json
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

import procstat
import profiling
import servers
from databases import count_rows
from load import Endpoint, LoadResult, run_wrk

BENCH_DIR = Path(__file__).resolve().parent
# After the load, the server still works through the requests it queued. The
# stored count is final once it stays unchanged for SETTLE_QUIET_S.
SETTLE_QUIET_S = 1.0
SETTLE_MAX_S = 60.0
# Longer than the debugger's one-second interval between skip reports.
CLOSING_EVENT_DELAY_S = 1.5
CLOSING_EVENT = "Bench Finished"


@dataclass
class Settings:
    """How long and how hard every measurement of one run loads its server."""

    seconds: float
    warmup_seconds: float
    connections: int
    wrk_threads: int
    trackside_workers: int
    reference_workers: int
    redis_url: str
    profile_dir: Path | None = None


@dataclass
class Measurement:
    endpoint: str
    database: str
    debuggers: int
    server: str
    workers: int
    events_per_s: float = 0.0
    requests_per_s: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    cpu_ms_per_event: float = 0.0
    rss_mb: float = 0.0
    ok_events: int = 0
    stored_events: int = 0
    problems: list[str] = field(default_factory=list)
    # Findings that do not make the throughput wrong, such as debugger flow control.
    notes: list[str] = field(default_factory=list)
    clients: list[dict] = field(default_factory=list)
    profile_files: list[str] = field(default_factory=list)

    @property
    def scenario(self) -> str:
        return f"{self.endpoint} {self.database} ws={self.debuggers}"

    def as_dict(self) -> dict:
        return asdict(self)


def measure(server_name: str, endpoint: Endpoint, database: str, debuggers: int, settings: Settings) -> Measurement:
    """Start a fresh server, load it, check its database, stop it; never leaves a process behind."""
    workers = settings.trackside_workers if server_name == "trackside" else settings.reference_workers
    result = Measurement(endpoint.name, database, debuggers, server_name, workers)
    folder = Path(tempfile.mkdtemp(prefix=f"trackside-bench-{server_name}-"))
    try:
        server = _start(server_name, database, folder, settings)
    except Exception as error:  # noqa: BLE001 - the run reports the failure and goes on with the next scenario.
        result.problems.append(f"server did not start: {error}")
        result.problems.append(f"server log kept in {folder}")
        return result
    clients = None
    try:
        smoke_events = _smoke_request(server, result)
        if debuggers:
            clients = start_clients(server, debuggers)
        _load(server, endpoint, settings, result, smoke_events)
        wait_until_stored_count_settles(server)
        if clients is not None:
            closing_events = _send_closing_event(server, result)
            result.clients = stop_clients(clients)
            clients = None
            result.ok_events += closing_events
        _verify(server, endpoint, settings, result, smoke_events)
    except Exception as error:  # noqa: BLE001 - as above, and the finally block still stops the server.
        result.problems.append(f"{type(error).__name__}: {error}")
    finally:
        if clients is not None:
            stop_clients(clients)
        servers.stop_server(server)
    if result.problems:
        result.problems.append(f"server log kept in {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    return result


def _start(server_name: str, database: str, folder: Path, settings: Settings) -> servers.Server:
    if server_name == "reference":
        return servers.start_reference(database, folder, settings.reference_workers)
    redis_url = settings.redis_url if settings.trackside_workers > 1 else None
    return servers.start_trackside(database, folder, settings.trackside_workers, redis_url)


def _smoke_request(server: servers.Server, result: Measurement, name: str = "Bench Started") -> int:
    """Send one valid track event and require the plain success body; return the events it stored."""
    message = {"type": "track", "event": name, "userId": "bench", "messageId": str(uuid.uuid4())}
    status, body = servers.post_json(server.url + "/v1/track", message, server.basic_authorization())
    if status != 200 or json.loads(body) != {"success": True}:
        result.problems.append(f"smoke request got {status} {body[:300]!r}, expected 200 {{'success': true}}")
    return 1 if status == 200 else 0


def _send_closing_event(server: servers.Server, result: Measurement) -> int:
    """Send one last event once the server is idle; the debugger clients stop when they receive it.

    It makes the debugger report a skip count still pending from the end of
    the load, which it sends at most once a second and only with the next
    event or acknowledgement. Waiting for it also counts the frames that the
    server still had queued for the clients.
    """
    time.sleep(CLOSING_EVENT_DELAY_S)
    return _smoke_request(server, result, CLOSING_EVENT)


def _load(server, endpoint, settings, result: Measurement, smoke_events: int) -> None:
    def drive(seconds: float) -> LoadResult:
        return run_wrk(
            server.url, endpoint, server.write_key, server.basic_authorization(), seconds,
            settings.connections, settings.wrk_threads,
        )

    warmup = drive(settings.warmup_seconds) if settings.warmup_seconds > 0 else None
    pids = server.pids()
    recording = None
    if settings.profile_dir is not None and server.name == "trackside":
        label = f"{result.endpoint}-{result.database}-ws{result.debuggers}"
        recording = profiling.start_recording(server.worker_pids(), settings.seconds, settings.profile_dir, label)
    cpu_before = procstat.cpu_seconds(pids)
    measured = drive(settings.seconds)
    cpu_after = procstat.cpu_seconds(pids)
    result.rss_mb = procstat.rss_bytes(pids) / 2**20
    if recording is not None:
        result.problems += [f"py-spy failed: {error}" for error in profiling.finish_recording(recording)]
        result.profile_files = [str(path) for path in recording.svg_paths + recording.raw_paths]

    events = measured.ok * endpoint.events_per_request
    result.events_per_s = events / measured.duration_s
    result.requests_per_s = measured.ok / measured.duration_s
    result.p50_ms = measured.latency_p50_ms
    result.p99_ms = measured.latency_p99_ms
    result.cpu_ms_per_event = (cpu_after - cpu_before) * 1000 / events if events else 0.0
    for run in (warmup, measured):
        if run is not None:
            result.ok_events += run.ok * endpoint.events_per_request
            result.problems += [f"{'warm-up' if run is warmup else 'load'}: {text}" for text in run.failures()]
    result.ok_events += smoke_events


def wait_until_stored_count_settles(server: servers.Server) -> int:
    """Wait until the server has stored what it had queued when the load stopped; return the count."""
    deadline = time.monotonic() + SETTLE_MAX_S
    count = count_rows(server.database, server.events_table)
    while time.monotonic() < deadline:
        time.sleep(SETTLE_QUIET_S)
        latest = count_rows(server.database, server.events_table)
        if latest == count:
            break
        count = latest
    return count


def _verify(server, endpoint: Endpoint, settings: Settings, result: Measurement, smoke_events: int) -> None:
    """Compare stored events with those that got a 200, and what the debugger clients saw with what was stored."""
    stored = count_rows(server.database, server.events_table)
    result.stored_events = stored
    # wrk stops with requests in flight: the server may store them, but wrk
    # never counts their responses. Two wrk runs (warm-up and load) each leave
    # at most one request per connection.
    in_flight = 2 * settings.connections * endpoint.events_per_request
    if stored < result.ok_events:
        result.problems.append(f"LOST EVENTS: {result.ok_events} got status 200, only {stored} stored")
    elif stored > result.ok_events + in_flight:
        result.problems.append(
            f"{stored} events stored but only {result.ok_events} got status 200 "
            f"(more than the {in_flight} that can be in flight when wrk stops)"
        )
    if server.name == "trackside":
        rejections = count_rows(server.database, "tracker_rejection")
        if rejections:
            result.problems.append(f"{rejections} rejections stored; the load sends only valid messages")
    for index, client in enumerate(result.clients):
        _check_client(result, index, client, stored - smoke_events)


def _check_client(result: Measurement, index: int, client: dict, expected: int) -> None:
    """Compare what one debugger client received with the events stored while it was connected."""
    received, skipped = client["events"], client["skipped"]
    missing = expected - received
    label = f"debugger client {index} received {received} of {expected} events"
    if client.get("drain_s") is None:
        result.problems.append(f"debugger client {index} did not receive the closing event within 60 s")
    elif client["drain_s"] > 1 and index == 0:
        result.notes.append(
            f"the debugger clients received the closing event {client['drain_s']:.1f} s after its request "
            "returned: frames were queued behind the load"
        )
    if missing < 0:
        result.problems.append(f"{label}: {-missing} more than were stored")
    elif missing > skipped:
        result.problems.append(f"{label}; {missing - skipped} missing events were never reported as skipped")
    elif skipped > missing:
        result.notes.append(f"{label}, but was told {skipped} were skipped: {skipped - missing} skip reports too many")
    elif skipped:
        result.notes.append(f"{label}; the server skipped {skipped} by flow control (window full)")


def start_clients(server: servers.Server, count: int) -> subprocess.Popen:
    """Start ``count`` debugger websocket clients in a process of their own; return once they are subscribed."""
    command = [
        sys.executable, str(BENCH_DIR / "debugger_clients.py"),
        "--port", str(server.port), "--token", server.token, "--clients", str(count), "--until-event", CLOSING_EVENT,
    ]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = process.stdout.readline().strip()
    if line != "READY":
        stop_clients(process)
        raise RuntimeError(f"debugger clients did not subscribe: {line} {process.stderr.read()[-2000:]}")
    return process


def stop_clients(process: subprocess.Popen) -> list[dict]:
    """Close the clients' standard input, which stops them; return what each received."""
    try:
        output, errors = process.communicate(input="", timeout=90)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise RuntimeError("debugger clients did not stop within 90 s") from None
    for line in output.splitlines():
        if line.startswith("BENCH_CLIENTS "):
            return json.loads(line[len("BENCH_CLIENTS "):])
    raise RuntimeError(f"debugger clients printed no summary (exit status {process.returncode}): {errors[-2000:]}")
