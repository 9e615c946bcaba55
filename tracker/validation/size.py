"""
Rules for a message's width and size: how many top-level properties or
traits it has, and how close it comes to the 32 KB limit per message.

Sources: Segment's HTTP Tracking API allows 32 KB per message, where KB
means 1,024 bytes as the official SDKs count. Its product limits allow 10,000
properties per event, and its Source Schema shows 300.
"""
import json

import orjson

from .problems import Problem
from .rules import register

CONCERN = "size"
MAX_MESSAGE_BYTES = 32 * 1024
# A message at least this large gets a note: it is within 10% of the limit.
NEAR_LIMIT_BYTES = MAX_MESSAGE_BYTES * 9 // 10
MAX_TOP_LEVEL_PROPERTIES = 200

too_many_properties = register(
    code="too_many_properties",
    severity="warning",
    concern=CONCERN,
    title="More than 200 top-level properties",
    explanation=(
        "An event this wide is usually a whole record or a map keyed by ids sent as properties. Segment keeps up "
        "to 10,000 properties but its schema view shows only 300, warehouses add a column for each, and some "
        "pipelines drop such events as bad data. Trackside stores the event whole."
    ),
    fix="Send only the properties that describe the event; nest related values in an object or an array.",
    bad={"type": "track", "userId": "u_1", "event": "Webhook Received",
         "properties": {f"field_{number}": number for number in range(201)}},
    good={"type": "track", "userId": "u_1", "event": "Webhook Received",
          "properties": {"fields": list(range(201))}},
    reference="Segment product limits; Source Schema limits",
)
message_near_size_limit = register(
    code="message_near_size_limit",
    severity="info",
    concern=CONCERN,
    title="Message close to the 32 KB limit",
    explanation=(
        f"Segment and Trackside reject a message over {MAX_MESSAGE_BYTES:,} bytes of compact JSON. This one is "
        "within 10% of that, so a few more properties or a longer text will get it rejected."
    ),
    fix="Send less data per message: leave out large texts and lists, or split the data over several events.",
    bad={"type": "track", "userId": "u_1", "event": "Report Exported", "properties": {"csv": "x" * 30000}},
    good={"type": "track", "userId": "u_1", "event": "Report Exported", "properties": {"rows": 3000}},
    reference="HTTP Tracking API, max request size",
)


def check_width(message: dict, out: list[Problem]) -> None:
    for field in ("properties", "traits"):
        value = message.get(field)
        if isinstance(value, dict) and len(value) > MAX_TOP_LEVEL_PROPERTIES:
            out.append(too_many_properties.problem(
                field,
                f"{field} has {len(value)} top-level keys, more than {MAX_TOP_LEVEL_PROPERTIES}. "
                + too_many_properties.fix,
            ))


def check_size(message: dict, out: list[Problem]) -> None:
    report_size(message_size(message), out)


def report_size(size: int, out: list[Problem]) -> None:
    """Note a message of ``size`` bytes that is near the limit."""
    if size < NEAR_LIMIT_BYTES:
        return
    share = size * 100 // MAX_MESSAGE_BYTES
    out.append(message_near_size_limit.problem(
        "",
        f"The message is {size:,} bytes as stored (server fields included), {share}% of the {MAX_MESSAGE_BYTES:,}-byte "
        "limit per message. " + message_near_size_limit.fix,
    ))


def message_size(message: dict) -> int:
    """Return the length of the message's compact UTF-8 JSON encoding."""
    return len(encode(message))


def encode(message: dict) -> bytes:
    """Encode the message as compact UTF-8 JSON, the form whose length is its size."""
    try:
        return orjson.dumps(message)
    except TypeError:
        # orjson refuses integers beyond 64 bits and lone surrogates; the json module writes both.
        text = json.dumps(message, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8", errors="surrogatepass")
