"""
The bare-minimum ingest server that Trackside is measured against.

Raw ASGI, no framework: read the body, parse JSON, check the required fields,
authenticate the write key, and insert every message into a table shaped
like Trackside's event table, one transaction per request. Run it with
uvicorn (see bench/README.md):

    REFERENCE_DATABASE_URL=sqlite:///tmp/ref.sqlite3 REFERENCE_WRITE_KEY=KEY \\
        uvicorn bench.reference_app:app --no-access-log

REFERENCE_DATABASE_URL is ``sqlite:///PATH`` (WAL, synchronous=NORMAL, as
Trackside configures SQLite) or ``postgres://...``.
"""
import base64
import os
import sqlite3
import uuid
from datetime import datetime, timezone

import orjson

DATABASE_URL = os.environ["REFERENCE_DATABASE_URL"]
WRITE_KEY = os.environ["REFERENCE_WRITE_KEY"]
SINGLE_PATHS = {"/v1/track": "track", "/v1/t": "track", "/v1/identify": "identify", "/v1/i": "identify"}
BATCH_PATHS = {"/v1/batch", "/v1/b", "/v1/import"}

# Trackside's event table without the debugger's filter indexes. The message id
# index is unique, as Trackside's deduplication constraint is.
TABLE = """CREATE TABLE IF NOT EXISTS reference_event (
    id {serial} PRIMARY KEY, source_id integer NOT NULL, type varchar(20) NOT NULL,
    event_name varchar(255) NOT NULL, user_id varchar(255) NOT NULL, anonymous_id varchar(255) NOT NULL,
    message_id varchar(255) NOT NULL, received_at {time} NOT NULL, payload {json} NOT NULL,
    problems {json} NOT NULL)"""
INDEX = "CREATE UNIQUE INDEX IF NOT EXISTS reference_event_message ON reference_event (source_id, message_id)"
# With REFERENCE_ALL_INDEXES=1, also the other indexes of Trackside's event table.
TRACKSIDE_INDEXES = {
    "recent": "source_id, id DESC", "type": "source_id, type, id DESC", "name": "source_id, event_name, id DESC",
}
INSERT = (
    "INSERT INTO reference_event (source_id, type, event_name, user_id, anonymous_id, message_id, received_at, "
    "payload, problems) VALUES ({marks})"
)


def connect():
    """Open the one connection this process inserts with, and create the table."""
    if DATABASE_URL.startswith("sqlite:///"):
        connection = sqlite3.connect(DATABASE_URL.removeprefix("sqlite:///"), timeout=30, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(TABLE.format(serial="integer", time="text", json="text"))
        return connection, INSERT.format(marks=", ".join("?" * 9))
    import psycopg

    connection = psycopg.connect(DATABASE_URL, autocommit=True)
    connection.execute(TABLE.format(serial="bigserial", time="timestamptz", json="jsonb"))
    return connection, INSERT.format(marks=", ".join(["%s"] * 9))


CONNECTION, INSERT_SQL = connect()
CONNECTION.execute(INDEX)
if os.environ.get("REFERENCE_ALL_INDEXES") == "1":
    for name, columns in TRACKSIDE_INDEXES.items():
        CONNECTION.execute(f"CREATE INDEX IF NOT EXISTS reference_event_{name} ON reference_event ({columns})")


def write_key_of(headers: list, message: dict) -> str | None:
    """Return the Basic auth username, or the body's writeKey as analytics.js sends it."""
    for name, value in headers:
        if name == b"authorization" and value[:6].lower() == b"basic ":
            return base64.b64decode(value[6:]).decode().split(":", 1)[0]
    key = message.get("writeKey")
    return key if isinstance(key, str) else None


def check(message: dict, kind: str) -> list[str]:
    """Return the required-field problems of one message."""
    problems = []
    if kind == "track" and not isinstance(message.get("event"), str):
        problems.append("event_missing")
    if not isinstance(message.get("userId"), str) and not isinstance(message.get("anonymousId"), str):
        problems.append("user_missing")
    return problems


def row(message: dict, kind: str, received_at: str) -> tuple:
    message["receivedAt"] = received_at
    message.setdefault("messageId", str(uuid.uuid4()))
    problems = check(message, kind)
    return (
        1, kind, str(message.get("event") or ""), str(message.get("userId") or ""),
        str(message.get("anonymousId") or ""), str(message.get("messageId")), received_at,
        orjson.dumps(message).decode(), orjson.dumps(problems).decode(),
    )


def store(rows: list[tuple]) -> None:
    """Insert ``rows`` in one transaction."""
    with_transaction = isinstance(CONNECTION, sqlite3.Connection)
    if with_transaction:
        CONNECTION.execute("BEGIN IMMEDIATE")
        CONNECTION.executemany(INSERT_SQL, rows)
        CONNECTION.execute("COMMIT")
        return
    with CONNECTION.transaction():
        CONNECTION.cursor().executemany(INSERT_SQL, rows)


async def read_body(receive) -> bytes:
    chunks = []
    more = True
    while more:
        event = await receive()
        chunks.append(event.get("body", b""))
        more = event.get("more_body", False)
    return b"".join(chunks)


async def respond(send, status: int, body: dict) -> None:
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", b"application/json")]})
    await send({"type": "http.response.body", "body": orjson.dumps(body)})


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    path = scope["path"]
    if scope["method"] != "POST" or (path not in SINGLE_PATHS and path not in BATCH_PATHS):
        await respond(send, 404, {"code": "not_found"})
        return
    try:
        body = orjson.loads(await read_body(receive))
    except orjson.JSONDecodeError:
        await respond(send, 400, {"code": "invalid_json"})
        return
    if not isinstance(body, dict):
        await respond(send, 400, {"code": "body_not_object"})
        return
    if write_key_of(scope["headers"], body) != WRITE_KEY:
        await respond(send, 401, {"code": "write_key_unknown"})
        return
    if path in BATCH_PATHS:
        messages = body.get("batch")
        if not isinstance(messages, list) or not all(isinstance(message, dict) for message in messages):
            await respond(send, 400, {"code": "batch_not_list_of_objects"})
            return
    else:
        messages = [dict(body, type=SINGLE_PATHS[path])]
    received_at = datetime.now(timezone.utc).isoformat()
    store([row(message, str(message.get("type")), received_at) for message in messages])
    await respond(send, 200, {"success": True})
