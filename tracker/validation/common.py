"""
Rules for the fields every message shares: type, identities, messageId,
timestamps, context and integrations.

Sources: Segment's common fields spec (segment.com/docs/connections/spec/common/)
and the "Failed on ingest" discard codes of its Delivery Overview.
"""
import re
from datetime import datetime, timedelta, timezone
from typing import Any

from .paths import format_path
from .problems import Problem
from .rules import register
from .timestamps import parse_timestamp
from .values import describe, is_number

MESSAGE_TYPES = ("track", "identify", "page", "screen", "group", "alias")
MAX_MESSAGE_ID_LENGTH = 100
FUTURE_TOLERANCE = timedelta(minutes=5)
EARLIEST_TIMESTAMP = datetime(2000, 1, 1, tzinfo=timezone.utc)
# JavaScript numbers lose integer precision beyond this.
MAX_SAFE_INTEGER = 2**53
_SIXTEEN_DIGITS = re.compile(rb"[0-9]{16}")

CONCERN = "common"

type_missing = register(
    code="type_missing",
    severity="error",
    concern=CONCERN,
    title="Message has no type",
    explanation="Every message in a batch must say what call it is; Segment drops a batch item without a valid type.",
    fix='Set "type" to one of track, identify, page, screen, group or alias.',
    bad={"userId": "u_1", "event": "Order Completed"},
    good={"type": "track", "userId": "u_1", "event": "Order Completed"},
    reference="HTTP Tracking API, Batch",
)
type_unknown = register(
    code="type_unknown",
    severity="error",
    concern=CONCERN,
    title="Message type is not a Segment call",
    explanation="Segment knows six calls: track, identify, page, screen, group and alias. Other types are dropped.",
    fix='Use one of track, identify, page, screen, group or alias as "type".',
    bad={"type": "Track", "userId": "u_1", "event": "Order Completed"},
    good={"type": "track", "userId": "u_1", "event": "Order Completed"},
)
id_missing = register(
    code="id_missing",
    severity="error",
    concern=CONCERN,
    title="Neither userId nor anonymousId",
    explanation=(
        "Every call needs a userId, an anonymousId or both, so destinations can tie it to a person. "
        "Segment answers 200 and then drops such a message (no_user_anon_id)."
    ),
    fix="Send the signed-in user's id as userId, or a stable random id (a UUID) as anonymousId.",
    bad={"type": "track", "event": "Order Completed"},
    good={"type": "track", "anonymousId": "3c2f0c6a-9d1e-4b7e-8f3a-5a1d2c3b4e5f", "event": "Order Completed"},
    reference="Common fields; Delivery Overview discard code no_user_anon_id",
)
id_not_string = register(
    code="id_not_string",
    severity="error",
    concern=CONCERN,
    title="User id is not a string",
    explanation="userId and anonymousId must be strings. Segment drops messages whose ids are numbers, objects or booleans (id_not_string).",
    fix="Convert the id to a string before sending it, for example 42 becomes \"42\".",
    bad={"type": "track", "userId": 42, "event": "Order Completed"},
    good={"type": "track", "userId": "42", "event": "Order Completed"},
    reference="Delivery Overview discard code id_not_string",
)
id_empty = register(
    code="id_empty",
    severity="error",
    concern=CONCERN,
    title="User id is empty",
    explanation="An empty or blank userId or anonymousId identifies nobody; Segment counts it as not a valid id (id_not_string).",
    fix="Send a real id, or leave the field out and send the other id instead.",
    bad={"type": "track", "userId": "", "event": "Order Completed"},
    good={"type": "track", "userId": "u_1", "event": "Order Completed"},
)
message_id_invalid = register(
    code="message_id_invalid",
    severity="error",
    concern=CONCERN,
    title="messageId is not a string of at most 100 characters",
    explanation="Segment deduplicates on messageId and accepts at most 100 characters; longer or non-string ids break deduplication downstream.",
    fix="Let the SDK generate messageId, or send a unique string (a UUID) of at most 100 characters.",
    bad={"type": "track", "userId": "u_1", "event": "Order Completed", "messageId": 12345},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "messageId": "9722d30a-7ec9-4a71-b781-9993b47468b4"},
    reference="Common fields, messageId",
)
timestamp_invalid = register(
    code="timestamp_invalid",
    severity="error",
    concern=CONCERN,
    title="Timestamp is not ISO-8601",
    explanation=(
        "timestamp, sentAt and originalTimestamp must be ISO-8601 date-time strings. Trackside stores the client's "
        "timestamp as originalTimestamp; when it cannot be read, receivedAt stands in for it."
    ),
    fix='Send an ISO-8601 string with a time zone, such as "2024-03-05T10:00:00.000Z"; epoch numbers are not accepted.',
    bad={"type": "track", "userId": "u_1", "event": "Order Completed", "originalTimestamp": 1709632800},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "originalTimestamp": "2024-03-05T10:00:00.000Z"},
    reference="Common fields, timestamps",
)
timestamp_no_timezone = register(
    code="timestamp_no_timezone",
    severity="warning",
    concern=CONCERN,
    title="Timestamp has no time zone",
    explanation="A timestamp without a time zone is ambiguous; Trackside reads it as UTC, and Segment's Engage does not save such trait timestamps.",
    fix='Add the offset or a Z: "2024-03-05T10:00:00Z" rather than "2024-03-05T10:00:00".',
    bad={"type": "track", "userId": "u_1", "event": "Order Completed", "originalTimestamp": "2024-03-05T10:00:00"},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "originalTimestamp": "2024-03-05T10:00:00Z"},
)
timestamp_out_of_range = register(
    code="timestamp_out_of_range",
    severity="warning",
    concern=CONCERN,
    title="Timestamp lies in the future or before 2000",
    explanation=(
        "Trackside corrects the client's clock skew with timestamp = receivedAt - (sentAt - originalTimestamp). "
        "A result more than 5 minutes after receivedAt, or before 2000-01-01, usually means the device clock "
        "or the SDK's timestamp is wrong; the event is filed at that time anyway."
    ),
    fix="Check the device clock and that timestamp and sentAt come from the same clock.",
    bad={
        "type": "track", "userId": "u_1", "event": "App Opened",
        "timestamp": "2024-06-04T11:36:12.799Z", "receivedAt": "2024-05-21T00:08:54.551Z",
    },
    good={
        "type": "track", "userId": "u_1", "event": "App Opened",
        "timestamp": "2024-05-21T00:08:54.000Z", "receivedAt": "2024-05-21T00:08:54.551Z",
    },
)
context_not_object = register(
    code="context_not_object",
    severity="error",
    concern=CONCERN,
    title="context is not an object",
    explanation="context carries facts about the message (ip, library, page, device ...) and must be a JSON object.",
    fix='Send context as an object, such as {"locale": "en-US"}, or leave it out.',
    bad={"type": "track", "userId": "u_1", "event": "Order Completed", "context": "web"},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "context": {"locale": "en-US"}},
)
context_field_type = register(
    code="context_field_type",
    severity="warning",
    concern=CONCERN,
    title="Standard context field has the wrong type",
    explanation="Segment's standard context fields have fixed types (context.ip is a string, context.library an object with name and version ...). Destinations read them by those types.",
    fix="Send the field with the type the common fields spec gives it, or move custom data to another key.",
    bad={"type": "track", "userId": "u_1", "event": "Order Completed", "context": {"ip": 127001}},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "context": {"ip": "127.0.0.1"}},
    reference="Common fields, context",
)
integrations_invalid = register(
    code="integrations_invalid",
    severity="error",
    concern=CONCERN,
    title="integrations is not an object of booleans or objects",
    explanation='integrations turns destinations on or off: an object whose values are true, false or an object of options, with "All" as the fallback key.',
    fix='Send integrations like {"All": true, "Mixpanel": false}.',
    bad={"type": "track", "userId": "u_1", "event": "Order Completed", "integrations": {"Mixpanel": "no"}},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "integrations": {"Mixpanel": False}},
    reference="Common fields, integrations",
)
integer_beyond_javascript = register(
    code="integer_beyond_javascript",
    severity="info",
    concern=CONCERN,
    title="Integer larger than JavaScript can hold exactly",
    explanation="Integers beyond 2^53 are stored exactly, but JavaScript destinations and browsers read them as the nearest float, changing the last digits.",
    fix="Send large ids as strings.",
    bad={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"order_id": 9007199254740993}},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"order_id": "9007199254740993"}},
)

# Types of the standard context fields, from Segment's common fields table.
CONTEXT_FIELD_TYPES: dict[str, type | tuple[type, ...]] = {
    "active": bool,
    "app": dict,
    "campaign": dict,
    "device": dict,
    "ip": str,
    "library": dict,
    "locale": str,
    "network": dict,
    "os": dict,
    "page": dict,
    "referrer": dict,
    "screen": dict,
    "timezone": str,
    "groupId": str,
    "traits": dict,
    "userAgent": str,
    "userAgentData": dict,
    "location": dict,
}
CONTEXT_SUBFIELD_TYPES: dict[str, dict[str, type | tuple[type, ...]]] = {
    "library": {"name": str, "version": str},
    "page": {"path": str, "referrer": str, "search": str, "title": str, "url": str},
    "os": {"name": str, "version": str},
    # Android SDKs send the build number as an integer.
    "app": {"name": str, "version": str, "build": (str, int), "namespace": str},
    "screen": {"density": (int, float), "height": (int, float), "width": (int, float)},
    "device": {
        "id": str, "advertisingId": str, "adTrackingEnabled": bool, "manufacturer": str, "model": str,
        "name": str, "type": str, "version": str, "token": str,
    },
    "campaign": {"name": str, "source": str, "medium": str, "term": str, "content": str},
    "network": {"bluetooth": bool, "carrier": str, "cellular": bool, "wifi": bool},
    "referrer": {"type": str, "name": str, "url": str, "link": str, "id": str},
    "location": {"city": str, "country": str, "latitude": (int, float), "longitude": (int, float), "speed": (int, float)},
    "userAgentData": {"brands": list, "mobile": bool, "platform": str},
}
_TYPE_NAMES = {str: "a string", dict: "an object", bool: "a boolean", int: "a number", float: "a number", list: "an array"}


def _type_name(expected: type | tuple[type, ...]) -> str:
    if isinstance(expected, tuple):
        names = dict.fromkeys(_TYPE_NAMES[kind] for kind in expected)
        return " or ".join(names)
    return _TYPE_NAMES[expected]


def _has_type(value: Any, expected: type | tuple[type, ...]) -> bool:
    # Parsed JSON contains exact built-in types, so an exact match keeps booleans out of numbers.
    if isinstance(expected, tuple):
        return type(value) in expected
    return type(value) is expected


def check_type(message: dict, out: list[Problem]) -> None:
    if "type" not in message or message["type"] is None:
        out.append(type_missing.problem("type", 'The message has no "type". ' + type_missing.fix))
        return
    kind = message["type"]
    if kind not in MESSAGE_TYPES:
        suggestion = kind.lower() if isinstance(kind, str) and kind.lower() in MESSAGE_TYPES else None
        text = f"type is {describe(kind)}, which is not a Segment call. " + type_unknown.fix
        if suggestion:
            out.append(type_unknown.problem("type", text + f' Send "{suggestion}".', suggestion))
        else:
            out.append(type_unknown.problem("type", text))


def check_ids(message: dict, out: list[Problem]) -> None:
    valid = 0
    for field in ("userId", "anonymousId"):
        value = message.get(field)
        if value is None:
            continue
        if not isinstance(value, str):
            text = f"{field} is {describe(value)}; ids must be strings."
            if is_number(value) and not isinstance(value, float):
                out.append(id_not_string.problem(field, text + f' Send it as the string "{value}".', str(value)))
            else:
                out.append(id_not_string.problem(field, text + " Send a string id."))
        elif not value.strip():
            out.append(id_empty.problem(field, f"{field} is {describe(value)}. " + id_empty.fix))
        else:
            valid += 1
    if valid == 0 and message.get("userId") is None and message.get("anonymousId") is None:
        out.append(id_missing.problem("", "The message has neither userId nor anonymousId. " + id_missing.fix))


def check_message_id(message: dict, out: list[Problem]) -> None:
    value = message.get("messageId")
    if value is None or (isinstance(value, str) and 0 < len(value) <= MAX_MESSAGE_ID_LENGTH):
        return
    if isinstance(value, str):
        if not value:
            text = "messageId is empty. " + message_id_invalid.fix
        else:
            text = f"messageId has {len(value)} characters; Segment accepts at most {MAX_MESSAGE_ID_LENGTH}. " + message_id_invalid.fix
    else:
        text = f"messageId is {describe(value)}. " + message_id_invalid.fix
    out.append(message_id_invalid.problem("messageId", text))


def check_timestamps(message: dict, out: list[Problem]) -> None:
    # The server computes an enriched message's timestamp, so it always parses. A raw message's is the client's.
    timestamp = None
    for field in ("originalTimestamp", "sentAt", "timestamp"):
        if field not in message or message[field] is None:
            continue
        parsed = parse_timestamp(message[field])
        if field == "timestamp":
            timestamp = parsed
        what = "The client's timestamp (kept as originalTimestamp)" if field == "originalTimestamp" else field
        if parsed is None:
            out.append(timestamp_invalid.problem(
                field,
                f"{what} is {describe(message[field])}, which is not an ISO-8601 date-time. "
                + timestamp_invalid.fix,
            ))
        elif not parsed.has_timezone:
            out.append(timestamp_no_timezone.problem(
                field, f"{what} {message[field]!r} has no time zone, so it was read as UTC. " + timestamp_no_timezone.fix,
            ))
    received = parse_timestamp(message.get("receivedAt"))
    if timestamp is None or received is None:
        return
    if timestamp.value - received.value > FUTURE_TOLERANCE:
        ahead = timestamp.value - received.value
        out.append(timestamp_out_of_range.problem(
            "timestamp",
            f"timestamp {message['timestamp']} is {_describe_delta(ahead)} after receivedAt, in the future. "
            + timestamp_out_of_range.fix,
        ))
    elif timestamp.value < EARLIEST_TIMESTAMP:
        out.append(timestamp_out_of_range.problem(
            "timestamp", f"timestamp {message['timestamp']} is before 2000-01-01. " + timestamp_out_of_range.fix,
        ))


def _describe_delta(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds >= 2 * 86400:
        return f"{seconds // 86400} days"
    if seconds >= 2 * 3600:
        return f"{seconds // 3600} hours"
    return f"{seconds // 60} minutes"


def check_context(message: dict, out: list[Problem]) -> None:
    if "context" not in message or message["context"] is None:
        return
    context = message["context"]
    if not isinstance(context, dict):
        out.append(context_not_object.problem("context", f"context is {describe(context)}. " + context_not_object.fix))
        return
    for field, value in context.items():
        expected = CONTEXT_FIELD_TYPES.get(field)
        if expected is None or value is None:
            continue
        if not _has_type(value, expected):
            out.append(context_field_type.problem(
                f"context.{field}",
                f"context.{field} is {describe(value)}; it must be {_type_name(expected)}.",
            ))
            continue
        subfields = CONTEXT_SUBFIELD_TYPES.get(field)
        if not subfields:
            continue
        for subfield, subvalue in value.items():
            subtype = subfields.get(subfield)
            if subtype is not None and subvalue is not None and not _has_type(subvalue, subtype):
                out.append(context_field_type.problem(
                    f"context.{field}.{subfield}",
                    f"context.{field}.{subfield} is {describe(subvalue)}; it must be {_type_name(subtype)}.",
                ))


def check_integrations(message: dict, out: list[Problem]) -> None:
    if "integrations" not in message or message["integrations"] is None:
        return
    integrations = message["integrations"]
    if not isinstance(integrations, dict):
        out.append(integrations_invalid.problem(
            "integrations", f"integrations is {describe(integrations)}. " + integrations_invalid.fix,
        ))
        return
    for name, setting in integrations.items():
        if not isinstance(setting, (bool, dict)):
            out.append(integrations_invalid.problem(
                format_path(("integrations", name)),
                f"integrations[{name!r}] is {describe(setting)}; use true, false or an object of options.",
            ))


def may_hold_big_integers(encoded: bytes) -> bool:
    """Tell from the message's JSON whether it can hold an integer beyond 2^53, which has at least 16 digits."""
    return _SIXTEEN_DIGITS.search(encoded) is not None


def check_big_integers(message: dict, out: list[Problem]) -> None:
    stack: list[tuple[Any, tuple]] = [(message, ())]
    while stack:
        node, path = stack.pop()
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in items:
            if isinstance(value, int) and not isinstance(value, bool):
                if value > MAX_SAFE_INTEGER or value < -MAX_SAFE_INTEGER:
                    out.append(integer_beyond_javascript.problem(
                        format_path(path + (key,)),
                        f"{value} is beyond 2^53; JavaScript readers will see a different number. "
                        + integer_beyond_javascript.fix,
                    ))
            elif isinstance(value, (dict, list)) and value:
                stack.append((value, path + (key,)))
