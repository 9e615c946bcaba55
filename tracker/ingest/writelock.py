"""
A cross-process write lock for SQLite, held around each group commit.

Several workers writing one SQLite file take turns on its write lock, and a
worker that finds it taken sleeps in SQLite's busy handler for growing steps
(up to 100 ms in Python's sqlite3) before it tries again. Waiting on a file
lock instead wakes the next writer as soon as the lock is released, which
took the p99 of single-event requests with two workers from about 135 ms to
(see bench/RESULTS.md). PostgreSQL needs nothing of the kind.
"""
import fcntl
import os
from contextlib import contextmanager
from pathlib import Path

from django.db import connection

_handles: dict[str, int] = {}


def _lock_path() -> str | None:
    if connection.vendor != "sqlite":
        return None
    name = str(connection.settings_dict["NAME"])
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return name + ".write-lock"


@contextmanager
def sqlite_write_lock():
    """Hold the database's write lock file while the block runs (no-op off SQLite files)."""
    path = _lock_path()
    if path is None:
        yield
        return
    handle = _handles.get(path)
    if handle is None:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        handle = _handles[path] = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(handle, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
