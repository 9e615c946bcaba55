"""
Fresh databases for benchmark runs: a SQLite file in a new folder, or a new
PostgreSQL database that is dropped afterwards.

PostgreSQL is reached through BENCH_POSTGRES_URL (default
postgres://postgres@127.0.0.1:5432/postgres); each run creates a database
named ``trackside_bench_<label>_<random>`` next to it.
"""
import os
import sqlite3
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
KINDS = ("sqlite", "postgres")


@dataclass
class Database:
    kind: str
    url: str
    # The PostgreSQL database's name, or the SQLite file's path.
    name: str


def postgres_admin_url() -> str:
    return os.environ.get("BENCH_POSTGRES_URL", DEFAULT_POSTGRES_URL)


def create_database(kind: str, folder: Path, label: str) -> Database:
    """Create an empty database of ``kind`` for one server of one scenario."""
    if kind == "sqlite":
        path = folder / f"{label}.sqlite3"
        return Database(kind, f"sqlite:///{path}", str(path))
    if kind != "postgres":
        raise ValueError(f"Unknown database kind {kind!r}; use one of {', '.join(KINDS)}.")
    name = f"trackside_bench_{label}_{uuid.uuid4().hex[:8]}"
    _run_admin_sql(f'CREATE DATABASE "{name}"')
    admin = urlparse(postgres_admin_url())
    return Database(kind, urlunparse(admin._replace(path="/" + name)), name)


def drop_database(database: Database) -> None:
    """Drop a PostgreSQL database made by ``create_database``; SQLite files go with their folder."""
    if database.kind == "postgres":
        _run_admin_sql(f'DROP DATABASE IF EXISTS "{database.name}" WITH (FORCE)')


def count_rows(database: Database, table: str) -> int:
    """Return the number of rows of ``table``, read straight from the database."""
    query = f"SELECT count(*) FROM {table}"
    if database.kind == "sqlite":
        connection = sqlite3.connect(database.name, timeout=30)
        try:
            return connection.execute(query).fetchone()[0]
        finally:
            connection.close()
    import psycopg

    with psycopg.connect(database.url) as connection:
        return connection.execute(query).fetchone()[0]


def _run_admin_sql(statement: str) -> None:
    import psycopg

    with psycopg.connect(postgres_admin_url(), autocommit=True) as connection:
        connection.execute(statement)
