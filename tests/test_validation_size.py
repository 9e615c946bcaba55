"""Table tests of the width and size rules."""
import pytest

from tracker.validation import validate
from tracker.validation.size import MAX_MESSAGE_BYTES, NEAR_LIMIT_BYTES, message_size


def codes_and_paths(message: dict) -> list[tuple[str, str]]:
    return [(problem.code, problem.path) for problem in validate(message)]


def wide(count: int, field: str = "properties", kind: str = "track") -> dict:
    message = {"type": kind, "userId": "u_1", field: {f"p{number:03d}": number for number in range(count)}}
    if kind == "track":
        message["event"] = "Webhook Received"
    return message


def padded(size: int) -> dict:
    message = {"type": "track", "userId": "u_1", "event": "Report Exported", "properties": {"csv": ""}}
    message["properties"]["csv"] = "x" * (size - message_size(message))
    assert message_size(message) == size
    return message


CASES = [
    ("200 properties", wide(200), []),
    ("201 properties", wide(201), [("too_many_properties", "properties")]),
    ("250 properties", wide(250), [("too_many_properties", "properties")]),
    ("201 traits", wide(201, "traits", "identify"), [("too_many_properties", "traits")]),
    ("just under the note", padded(NEAR_LIMIT_BYTES - 1), []),
    ("at the note", padded(NEAR_LIMIT_BYTES), [("message_near_size_limit", "")]),
    ("at the limit", padded(MAX_MESSAGE_BYTES), [("message_near_size_limit", "")]),
]


@pytest.mark.parametrize(("payload", "expected"), [pytest.param(m, e, id=name) for name, m, e in CASES])
def test_size_rules(payload, expected):
    assert codes_and_paths(payload) == expected


def test_size_counts_utf8_bytes():
    assert message_size({"a": "é"}) == len('{"a":"é"}'.encode())


def test_size_of_huge_integer():
    assert message_size({"a": 10**30}) == len('{"a":' + "1" + "0" * 30 + "}")


def test_size_of_lone_surrogate():
    assert message_size({"a": "\ud83d"}) == len('{"a":"') + 3 + len('"}')


def test_note_names_the_size():
    problem = next(p for p in validate(padded(30000)) if p.code == "message_near_size_limit")
    assert "30,000 bytes" in problem.message
    assert "32,768" in problem.message
