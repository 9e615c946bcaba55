"""
A real Trackside server in a subprocess, served by Daphne as users run it.

The server gets its own data folder and database: a SQLite file, or, when
the suite runs on PostgreSQL (DATABASE_URL set), a database created for it
and dropped afterwards. REDIS_URL passes through, so the live tests use the
same channel layer as the rest of the run.
"""
import os
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

PROJECT_DIR = Path(__file__).resolve().parents[1]


def basic_auth(write_key: str) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"The server exited with status {process.returncode} before listening")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"The server did not listen on port {port} within {timeout} s")


@dataclass
class LiveServer:
    url: str
    port: int
    write_key: str
    token: str
    env: dict
    processes: list

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.port}"

    def manage(self, *args: str) -> str:
        """Run a management command against the server's database; return its output."""
        done = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=self.env,
            capture_output=True, text=True, timeout=120,
        )
        if done.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed: {done.stderr}")
        return done.stdout


def _database_url(base_url: str | None, name: str) -> str | None:
    if not base_url or not base_url.startswith(("postgres://", "postgresql://")):
        return None
    parts = urlparse(base_url)
    return urlunparse(parts._replace(path="/" + name))


def _run_sql(base_url: str, statement: str) -> None:
    import psycopg

    parts = urlparse(base_url)
    admin_url = urlunparse(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as connection:
        connection.execute(statement)


def start_server(
    tmp_dir: Path, workers: int = 1, extra_env: dict | None = None, server_kind: str = "daphne",
) -> LiveServer:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST")}
    env.update({"TRACKSIDE_DATA_DIR": str(tmp_dir), "ALLOWED_HOSTS": "127.0.0.1,localhost", "DEBUG": "0"})
    env.update(extra_env or {})
    pg_name = None
    pg_url = _database_url(os.environ.get("DATABASE_URL"), f"trackside_live_{uuid.uuid4().hex[:10]}")
    if pg_url:
        pg_name = urlparse(pg_url).path.lstrip("/")
        _run_sql(os.environ["DATABASE_URL"], f'CREATE DATABASE "{pg_name}"')
        env["DATABASE_URL"] = pg_url
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_dir / 'live.sqlite3'}"

    port = free_port()
    server = LiveServer(f"http://127.0.0.1:{port}", port, "", "", env, [])
    server.pg_name = pg_name  # type: ignore[attr-defined]
    server.manage("migrate", "-v0")
    server.write_key = server.manage("create_source", "live").strip().splitlines()[-1]
    server.manage("shell", "-c", (
        "from django.contrib.auth import get_user_model; "
        "get_user_model().objects.create_user('live-staff', password='live-staff-pw', is_staff=True)"
    ))
    server.token = server.manage("drf_create_token", "live-staff").split()[2]

    log = open(tmp_dir / "server.log", "w")
    command = [
        sys.executable, "manage.py", "serve", "--port", str(port), "--workers", str(workers), "--server", server_kind,
    ]
    process = subprocess.Popen(command, cwd=PROJECT_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)
    server.processes.append(process)
    wait_for_port(port, process)
    return server


def stop_server(server: LiveServer) -> None:
    for process in server.processes:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    pg_name = getattr(server, "pg_name", None)
    if pg_name:
        _run_sql(os.environ["DATABASE_URL"], f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')


DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


def redis_reachable(url: str) -> bool:
    host_port = url.split("://", 1)[1].split("/", 1)[0]
    host, _, port = host_port.rpartition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port or 6379)), timeout=1):
            return True
    except OSError:
        return False


def redis_url_or_skip() -> str:
    """Return REDIS_URL (or a local default); skip the test when Redis is down, fail it in CI."""
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    if not redis_reachable(redis_url):
        message = f"Redis is not reachable at {redis_url}; start it with `redis-server --daemonize yes`."
        if os.environ.get("TRACKSIDE_REQUIRE_ALL_CLIENTS"):
            pytest.fail(message)
        pytest.skip(message)
    return redis_url
