"""
The one strict JSON parse that every ingest body goes through.

``parse_json`` returns the value plus notes about what it had to change so that
any database can store the value, and never raises anything but
``JSONBodyError``, whatever the input::

    >>> result = parse_json(b'{"event":"Flight Logged","properties":{"ratio":NaN}}')
    >>> result.value
    {'event': 'Flight Logged', 'properties': {'ratio': None}}
    >>> result.notes
    [ParseNote(path=('properties', 'ratio'), kind='non_finite_number', detail='NaN')]

A fast path parses with orjson. Whenever that path could differ from the rules
below (orjson refuses NaN and lone surrogates, turns integers over 64 bits into
floats, and allows deeper nesting), the body goes through ``_StrictParser``,
which is authoritative:

- ``NaN``, ``Infinity``, ``-Infinity`` and number literals too large for a
  float become ``null`` with a ``non_finite_number`` note;
- U+0000 and lone surrogates in strings or keys become U+FFFD with an
  ``unstorable_text`` note, because PostgreSQL cannot store them;
- nesting deeper than ``max_depth`` and integer literals longer than
  ``MAX_INTEGER_DIGITS`` raise ``JSONBodyError`` naming the path, without
  recursion.
"""
import json
import re
from dataclasses import dataclass, field
from json.decoder import scanstring

import orjson

from tracker.validation.paths import Path, PathPart, format_path

# Python refuses to convert longer integer literals (sys.get_int_max_str_digits).
MAX_INTEGER_DIGITS = 4300

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# A run this long may be an integer beyond 64 bits, which orjson turns into a float.
_LONG_DIGIT_RUN = re.compile(rb"[0-9]{19}")
_TOKEN = re.compile(
    r"""[ \t\n\r]*(?:
        (?P<punct>[{}\[\],:"])
      | (?P<number>-?(?:0|[1-9][0-9]*)(?P<fraction>\.[0-9]+)?(?P<exponent>[eE][-+]?[0-9]+)?)
      | (?P<literal>true|false|null|NaN|Infinity|-Infinity)
    )""",
    re.VERBOSE,
)
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_LITERALS = {"true": True, "false": False, "null": None}


class JSONBodyError(ValueError):
    """A body that cannot be read as JSON; ``code`` is stable, ``message`` says why."""

    def __init__(self, code: str, message: str, path: Path | None = None, offset: int | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.path = path
        self.offset = offset


@dataclass(frozen=True)
class ParseNote:
    """A change the parse made so the value can be stored, at ``path`` from the root."""

    path: Path
    kind: str  # "non_finite_number", "unstorable_text" or "unstorable_key"
    detail: str


@dataclass
class ParseResult:
    value: object
    notes: list[ParseNote] = field(default_factory=list)
    # Character spans of the items of a top-level "batch" array, by index; only
    # the strict parser fills it, and only when it was needed.
    batch_spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    text: str | None = None

    def item_bytes(self, index: int) -> bytes | None:
        """Return the original bytes of batch item ``index``, when they were kept."""
        span = self.batch_spans.get(index)
        if span is None or self.text is None:
            return None
        return self.text[span[0] : span[1]].encode("utf-8")


def parse_json(body: bytes, max_depth: int = 64) -> ParseResult:
    """Parse ``body`` under Trackside's strict rules; raise ``JSONBodyError`` otherwise."""
    if b"\\u0000" not in body and not _LONG_DIGIT_RUN.search(body):
        try:
            value = orjson.loads(body)
        except orjson.JSONDecodeError:
            pass
        else:
            if _depth_within(value, body, max_depth):
                return ParseResult(value)
    text = _decode_utf8(body)
    parser = _StrictParser(text, max_depth)
    value = parser.parse()
    return ParseResult(value, parser.notes, parser.batch_spans, text)


def _depth_within(value: object, body: bytes, max_depth: int) -> bool:
    if body.count(b"[") + body.count(b"{") <= max_depth:
        return True
    stack = [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return False
        if isinstance(node, dict):
            stack.extend((child, depth + 1) for child in node.values() if isinstance(child, (dict, list)))
        elif isinstance(node, list):
            stack.extend((child, depth + 1) for child in node if isinstance(child, (dict, list)))
    return True


def _decode_utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise JSONBodyError(
            "invalid_utf8",
            f"The body is not valid UTF-8: byte 0x{body[exc.start]:02x} at offset {exc.start} "
            f"cannot start or continue a character. Send the JSON body encoded as UTF-8.",
            offset=exc.start,
        ) from None


class _Frame:
    __slots__ = ("container", "is_object", "key", "index")

    def __init__(self, container: dict | list, is_object: bool):
        self.container = container
        self.is_object = is_object
        self.key: str | None = None
        self.index = 0


class _StrictParser:
    """An iterative JSON parser that tracks the path of every value it reads."""

    def __init__(self, text: str, max_depth: int):
        self.text = text
        self.max_depth = max_depth
        self.pos = 0
        self.stack: list[_Frame] = []
        self.notes: list[ParseNote] = []
        self.batch_spans: dict[int, tuple[int, int]] = {}
        self._item_start: int | None = None

    # Paths and errors

    def path(self) -> Path:
        parts: list[PathPart] = []
        for frame in self.stack:
            if not frame.is_object:
                parts.append(frame.index)
            elif frame.key is not None:
                # An object's key is None only before its first key is read.
                parts.append(frame.key)
        return tuple(parts)

    def fail(self, expected: str, at: int | None = None) -> JSONBodyError:
        at = self.pos if at is None else at
        found = self.text[at : at + 12]
        offset = len(self.text[:at].encode("utf-8"))
        line = self.text.count("\n", 0, at) + 1
        column = at - (self.text.rfind("\n", 0, at) + 1) + 1
        where = format_path(self.path()) or "the top level"
        found_text = f"found {found!r}" if found else "the body ended"
        return JSONBodyError(
            "invalid_json",
            f"The body is not valid JSON: expected {expected} at byte {offset} "
            f"(line {line}, column {column}, near {where}), but {found_text}. "
            "Send one JSON object, such as {\"type\": \"track\", \"event\": \"Order Completed\", ...}.",
            offset=offset,
        )

    # Tokens

    def next_token(self, expected: str) -> re.Match:
        match = _TOKEN.match(self.text, self.pos)
        if match is None:
            self.pos = _WHITESPACE.match(self.text, self.pos).end()
            raise self.fail(expected)
        self.pos = match.end()
        return match

    def read_string(self) -> str:
        try:
            value, self.pos = scanstring(self.text, self.pos, True)
        except json.JSONDecodeError as exc:
            reason = re.sub(r"\s+at$", "", exc.msg).lower()
            raise self.fail(f"a valid string ({reason})", exc.pos) from None
        return value

    def clean_text(self, value: str) -> tuple[str, str | None]:
        """Replace text no database can store; return (text, what was replaced or None)."""
        if _UNSTORABLE.search(value) is None:
            return value, None
        bad = sorted({f"U+{ord(char):04X}" for char in _UNSTORABLE.findall(value)})
        return _UNSTORABLE.sub("\ufffd", value), ", ".join(bad)

    def read_number(self, match: re.Match) -> int | float | None:
        literal = match.group("number")
        if match.group("fraction") is None and match.group("exponent") is None:
            if len(literal.lstrip("-")) > MAX_INTEGER_DIGITS:
                path = self.path()
                raise JSONBodyError(
                    "integer_too_long",
                    f"The integer at {format_path(path) or 'the top level'} has "
                    f"{len(literal.lstrip('-'))} digits; at most {MAX_INTEGER_DIGITS} can be read. "
                    "Send very long numbers as strings.",
                    path=path,
                )
            return int(literal)
        number = float(literal)
        if number in (float("inf"), float("-inf")):
            self.notes.append(ParseNote(self.path(), "non_finite_number", literal))
            return None
        return number

    # Grammar

    def parse(self) -> object:
        value_expected = True
        value: object = None
        while True:
            if value_expected:
                value, opened = self.read_value()
                if opened:
                    if not self.open_container():
                        continue
                    value = self.stack.pop().container
            # A value is complete: attach it, then read what follows it.
            while True:
                if not self.stack:
                    self.require_end()
                    return value
                self.attach(value)
                if self.read_separator():
                    value_expected = True
                    break
                value = self.stack.pop().container

    def read_value(self) -> tuple[object, bool]:
        """Read a scalar, or push a new container; return (value, opened)."""
        if self.in_batch_array():
            self._item_start = _WHITESPACE.match(self.text, self.pos).end()
        match = self.next_token("a value")
        punct = match.group("punct")
        if punct == "{" or punct == "[":
            if len(self.stack) + 1 > self.max_depth:
                path = self.path()
                raise JSONBodyError(
                    "too_deep",
                    f"The JSON nests deeper than {self.max_depth} levels at "
                    f"{format_path(path) or 'the top level'}. Flatten the structure "
                    "or send deep trees as a string.",
                    path=path,
                )
            self.stack.append(_Frame({} if punct == "{" else [], punct == "{"))
            return None, True
        if punct == '"':
            text, replaced = self.clean_text(self.read_string())
            if replaced:
                self.notes.append(ParseNote(self.path(), "unstorable_text", replaced))
            return text, False
        if punct is not None:
            raise self.fail("a value", match.start("punct"))
        if match.group("number") is not None:
            return self.read_number(match), False
        literal = match.group("literal")
        if literal in _LITERALS:
            return _LITERALS[literal], False
        self.notes.append(ParseNote(self.path(), "non_finite_number", literal))
        return None, False

    def open_container(self) -> bool:
        """Read past the first key of a new container; return True if it is empty."""
        frame = self.stack[-1]
        closing = "}" if frame.is_object else "]"
        match = _TOKEN.match(self.text, self.pos)
        if match is not None and match.group("punct") == closing:
            self.pos = match.end()
            return True
        if frame.is_object:
            self.read_key(frame, 'a key in double quotes or "}"')
        return False

    def read_key(self, frame: _Frame, expected: str) -> None:
        match = self.next_token(expected)
        if match.group("punct") != '"':
            raise self.fail(expected, match.start("punct") if match.group("punct") else match.start())
        frame.key, replaced = self.clean_text(self.read_string())
        if replaced:
            self.notes.append(ParseNote(self.path(), "unstorable_key", replaced))
        match = self.next_token('":" after the key')
        if match.group("punct") != ":":
            raise self.fail('":" after the key', match.start())

    def attach(self, value: object) -> None:
        frame = self.stack[-1]
        if frame.is_object:
            frame.container[frame.key] = value  # type: ignore[index]
            return
        frame.container.append(value)  # type: ignore[union-attr]
        if self._item_start is not None and self.in_batch_array():
            self.batch_spans[frame.index] = (self._item_start, self.pos)
            self._item_start = None

    def read_separator(self) -> bool:
        """Read "," (and the next key) or the closing bracket; return True if a value follows."""
        frame = self.stack[-1]
        closing = "}" if frame.is_object else "]"
        expected = f'"," or "{closing}"'
        match = self.next_token(expected)
        punct = match.group("punct")
        if punct == closing:
            return False
        if punct != ",":
            raise self.fail(expected, match.start())
        if frame.is_object:
            self.read_key(frame, "a key in double quotes")
        else:
            frame.index += 1
        return True

    def in_batch_array(self) -> bool:
        return (
            len(self.stack) == 2
            and self.stack[0].key == "batch"
            and self.stack[0].is_object
            and not self.stack[1].is_object
        )

    def require_end(self) -> None:
        end = _WHITESPACE.match(self.text, self.pos).end()
        if end != len(self.text):
            self.pos = end
            raise self.fail("the end of the body")
