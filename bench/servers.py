"""
Start and stop the two servers a benchmark compares, each on a fresh database.

Trackside starts the way bench/README.md and the project README deploy it:
``manage.py migrate``, ``manage.py create_source``, then
``manage.py serve --workers N`` (REDIS_URL for more than one), with Daphne,
or with uvicorn when BENCH_TRACKSIDE_SERVER=uvicorn. The reference is
bench/reference_app.py under uvicorn.

BENCH_PROJECT_DIR selects another checkout of Trackside to measure with this
harness, for example a branch under review. By default it is the checkout
that contains bench/.
"""
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import procstat
from databases import Database, create_database, drop_database

BENCH_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(os.environ.get("BENCH_PROJECT_DIR", BENCH_DIR.parent)).resolve()
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/4"
STAFF_USERNAME = "bench-staff"
SOURCE_NAME = "bench"
REFERENCE_WRITE_KEY = "bench-reference-write-key"
# Variables of the caller's shell that would point a server at the wrong place.
SERVER_VARIABLES = ("DATABASE_URL", "REDIS_URL", "TRACKSIDE_DATA_DIR", "DJANGO_SETTINGS_MODULE", "DEBUG")


@dataclass
class Server:
    """A running server: its process, database and the credentials the load needs."""

    name: str
    process: subprocess.Popen
    port: int
    database: Database
    write_key: str
    events_table: str
    workers: int
    token: str = ""
    log_path: Path | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def pids(self) -> list[int]:
        """Return the server's process and its workers."""
        return procstat.descendants(self.process.pid)

    def worker_pids(self) -> list[int]:
        """Return the processes that handle requests: the children of a supervisor, or the process itself."""
        pids = self.pids()
        return pids[1:] if len(pids) > 1 else pids

    def basic_authorization(self) -> str:
        return "Basic " + base64.b64encode(f"{self.write_key}:".encode()).decode()

    def log_tail(self, lines: int = 30) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_environment() -> dict:
    return {key: value for key, value in os.environ.items() if key not in SERVER_VARIABLES}


def start_trackside(kind: str, folder: Path, workers: int, redis_url: str | None) -> Server:
    """Create a fresh database, set Trackside up on it and serve it; the caller stops it."""
    database = create_database(kind, folder, "trackside")
    env = base_environment()
    env.update({
        "TRACKSIDE_DATA_DIR": str(folder / "data"),
        "DATABASE_URL": database.url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DEBUG": "0",
    })
    if redis_url:
        env["REDIS_URL"] = redis_url
        flush_redis(redis_url)
    try:
        manage(env, "migrate", "-v0")
        write_key = manage(env, "create_source", SOURCE_NAME).strip().splitlines()[-1]
        manage({**env, "DJANGO_SUPERUSER_PASSWORD": "bench-staff-password"},
               "createsuperuser", "--noinput", "--username", STAFF_USERNAME, "--email", "bench@example.com")
        token = manage(env, "drf_create_token", STAFF_USERNAME).split()[2]
    except BaseException:
        drop_database(database)
        raise

    port = free_port()
    # As the README deploys it: manage.py serve, with Daphne unless BENCH_TRACKSIDE_SERVER=uvicorn.
    command = [
        sys.executable, "manage.py", "serve", "--port", str(port), "--workers", str(workers),
        "--server", os.environ.get("BENCH_TRACKSIDE_SERVER", "daphne"),
    ]
    server = _spawn("trackside", command, env, folder, port, database, write_key, "tracker_event", workers)
    server.token = token
    return server


def start_reference(kind: str, folder: Path, workers: int) -> Server:
    """Create a fresh database and serve bench/reference_app.py on it with uvicorn."""
    database = create_database(kind, folder, "reference")
    env = base_environment()
    env.update({"REFERENCE_DATABASE_URL": database.url, "REFERENCE_WRITE_KEY": REFERENCE_WRITE_KEY})
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "--app-dir", str(BENCH_DIR), "reference_app:app",
        "--host", "127.0.0.1", "--port", str(port), "--no-access-log", "--log-level", "warning",
        "--workers", str(workers),
    ]
    return _spawn("reference", command, env, folder, port, database, REFERENCE_WRITE_KEY, "reference_event", workers)


def _spawn(name, command, env, folder, port, database, write_key, events_table, workers) -> Server:
    log_path = folder / f"{name}.log"
    log = open(log_path, "w")
    # A session of its own, so a Ctrl-C in the terminal reaches only the
    # benchmark, which then stops the server in order.
    process = subprocess.Popen(
        command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    server = Server(name, process, port, database, write_key, events_table, workers, log_path=log_path)
    try:
        wait_until_listening(server)
        wait_for_workers(server)
    except BaseException:
        stop_server(server)
        raise
    return server


def manage(env: dict, *args: str) -> str:
    """Run a management command of the Trackside under test; return its output."""
    done = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300,
    )
    if done.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed with status {done.returncode}: {done.stderr.strip()}")
    return done.stdout


def flush_redis(redis_url: str) -> None:
    """Empty the benchmark's Redis database, so no channel of an earlier run is left in a group."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        client.flushdb()
    finally:
        client.close()


def wait_until_listening(server: Server, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"The {server.name} server exited with status {server.process.returncode} before listening:\n"
                + server.log_tail()
            )
        try:
            with socket.create_connection(("127.0.0.1", server.port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"The {server.name} server did not listen on port {server.port} within {timeout:.0f} s")


def wait_for_workers(server: Server, timeout: float = 60.0) -> None:
    """Wait until the supervisor has started every worker process."""
    if server.workers == 1:
        return
    deadline = time.monotonic() + timeout
    while len(server.pids()) < server.workers + 1:
        if time.monotonic() > deadline:
            raise RuntimeError(f"The {server.name} server started {len(server.pids()) - 1} of {server.workers} workers")
        time.sleep(0.1)


def post_json(url: str, body: dict, authorization: str | None = None, timeout: float = 10.0) -> tuple[int, bytes]:
    """POST ``body`` as JSON; return the status and the response body, also for 4xx and 5xx responses."""
    headers = {"Content-Type": "application/json"}
    if authorization:
        headers["Authorization"] = authorization
    request = urllib.request.Request(url, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def stop_server(server: Server) -> None:
    """Stop the server and every worker it started, then drop its database."""
    pids = server.pids()
    try:
        if server.process.poll() is None:
            server.process.send_signal(signal.SIGTERM)
            try:
                server.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()
        for pid in pids[1:]:
            _kill_if_alive(pid)
    finally:
        drop_database(server.database)


def _kill_if_alive(pid: int) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
