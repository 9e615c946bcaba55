"""
Splitting a parsed body into messages, and what each message carries to storage.
"""
import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import orjson

from tracker.validation import Problem
from tracker.validation.values import json_type

from .errors import InvalidBody, PayloadTooLarge
from .parsing import ParseNote, ParseResult

MAX_COLUMN = 255


@dataclass
class Item:
    """One message of a request, before enrichment."""

    index: int
    message: Any
    size: int
    notes: list[ParseNote] = field(default_factory=list)
    raw: bytes | None = None


@dataclass
class Envelope:
    """A request body split into items, with the batch-level fields."""

    items: list[Item]
    sent_at: Any = None
    context: Any = None
    integrations: Any = None
    write_key: Any = None


@dataclass
class PreparedEvent:
    """An enriched, validated message, ready to be stored."""

    index: int
    payload: dict[str, Any]
    problems: list[Problem]
    content_hash: str
    message_id: str
    received_at: datetime
    timestamp: datetime
    raw: bytes | None = None


@dataclass
class PreparedRejection:
    index: int | None
    code: str
    message: str
    size: int
    head: bytes
    status: int = 200


def compact_json(value: Any) -> bytes:
    """Encode ``value`` as compact UTF-8 JSON, the form whose length is a message's size."""
    try:
        return orjson.dumps(value)
    except TypeError:
        # orjson refuses integers beyond 64 bits; the json module writes them exactly.
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def json_text(value: Any) -> str:
    """Encode ``value`` as compact JSON text."""
    return compact_json(value).decode("utf-8")


def content_hash(message: dict[str, Any]) -> str:
    """Hash what a retry repeats: the message as sent, without sentAt and the write key."""
    content = {key: value for key, value in message.items() if key not in ("sentAt", "writeKey")}
    try:
        encoded = orjson.dumps(content, option=orjson.OPT_SORT_KEYS)
    except TypeError:
        encoded = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return hashlib.blake2b(encoded, digest_size=16).hexdigest()


def column_text(value: Any) -> str:
    """Return a payload value as kept in a filter column: strings as they are, cut to the column size."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else compact_json(value).decode("utf-8")
    return text[:MAX_COLUMN]


def message_id_column(value: Any) -> str:
    """Return the messageId as stored in its column; ids too long for it end in their own hash."""
    text = value if isinstance(value, str) else compact_json(value).decode("utf-8")
    if len(text) <= MAX_COLUMN:
        return text
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()
    return text[: MAX_COLUMN - 33] + "#" + digest


def split_single(parsed: ParseResult, body: bytes) -> Envelope:
    message = parsed.value
    raw = body if parsed.notes else None
    return Envelope(
        items=[Item(0, message, len(compact_json(message)), list(parsed.notes), raw)],
        write_key=message.get("writeKey") if isinstance(message, dict) else None,
    )


def split_batch(parsed: ParseResult, max_messages: int) -> Envelope:
    """Split a batch body; raise for a body without a batch array or with too many messages."""
    root = parsed.value
    assert isinstance(root, dict)
    batch = root.get("batch")
    if not isinstance(batch, list):
        batch_state = "missing" if "batch" not in root else f"not an array but {json_type(batch)}"
        raise InvalidBody(
            f'The body\'s "batch" is {batch_state}. Send {{"batch": [message, ...]}} with one object per message.',
            code="batch_not_list",
            path="batch",
        )
    if len(batch) > max_messages:
        raise PayloadTooLarge(
            f"The batch holds {len(batch)} messages; the limit is {max_messages}. Split it into smaller batches.",
            code="too_many_messages",
            limit=max_messages,
            count=len(batch),
        )
    notes_by_item: dict[int, list[ParseNote]] = {}
    envelope_notes: list[ParseNote] = []
    for note in parsed.notes:
        if len(note.path) >= 2 and note.path[0] == "batch" and isinstance(note.path[1], int):
            notes_by_item.setdefault(note.path[1], []).append(ParseNote(note.path[2:], note.kind, note.detail))
        else:
            envelope_notes.append(note)
    items = []
    for index, message in enumerate(batch):
        notes = notes_by_item.get(index, []) + envelope_notes
        encoded = compact_json(message)
        raw = (parsed.item_bytes(index) or encoded) if notes else None
        items.append(Item(index, message, len(encoded), notes, raw))
    return Envelope(
        items=items,
        sent_at=root.get("sentAt"),
        context=root.get("context"),
        integrations=root.get("integrations"),
        write_key=root.get("writeKey"),
    )
