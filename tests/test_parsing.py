"""The strict parse: agreement with the json module, the rules it adds, and no crash on any input."""
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracker.ingest.parsing import MAX_INTEGER_DIGITS, JSONBodyError, ParseNote, parse_json

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_valid_json_reads_like_json_module(value):
    body = json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")
    try:
        expected = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return
    try:
        result = parse_json(body)
    except JSONBodyError as error:
        assert error.code in ("too_deep", "invalid_utf8")
        return
    if not result.notes:
        assert result.value == expected


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200))
def test_any_bytes_parse_or_raise_body_error(body):
    try:
        parse_json(body)
    except JSONBodyError as error:
        assert error.code and error.message


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet='{}[],:"\\ntrufalsNIiy0123456789.eE-+ \x00\ud83d', max_size=60))
def test_json_like_text_parses_or_raises_body_error(text):
    try:
        parse_json(text.encode("utf-8", "surrogatepass"))
    except JSONBodyError as error:
        assert error.code and error.message


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity", "1e999", "-1e999"])
def test_non_finite_numbers_become_null_with_a_note(token):
    result = parse_json(f'{{"properties":{{"x":{token},"y":1}}}}'.encode())
    assert result.value == {"properties": {"x": None, "y": 1}}
    assert result.notes == [ParseNote(("properties", "x"), "non_finite_number", token)]


@pytest.mark.parametrize(
    ("body", "path", "kind"),
    [
        (rb'{"a":"x\u0000y"}', ("a",), "unstorable_text"),
        (rb'{"a":["ok","\ud83d"]}', ("a", 1), "unstorable_text"),
        (rb'{"k\u0000":1}', ("k\ufffd",), "unstorable_key"),
        (rb'{"batch":[{"traits":{"email":"\u0000"}}]}', ("batch", 0, "traits", "email"), "unstorable_text"),
        (rb'{"event":"\udc00 alone"}', ("event",), "unstorable_text"),
    ],
)
def test_unstorable_text_replaced_everywhere(body, path, kind):
    result = parse_json(body)
    assert [(note.path, note.kind) for note in result.notes] == [(path, kind)]
    assert "\x00" not in json.dumps(result.value)
    assert "\\ud8" not in json.dumps(result.value) and "\\udc" not in json.dumps(result.value)


def test_valid_surrogate_pair_is_one_character():
    result = parse_json(rb'{"emoji":"\ud83d\ude00"}')
    assert result.value == {"emoji": "\U0001F600"}
    assert result.notes == []


def test_integers_beyond_64_bits_stay_exact():
    big = 2**200 + 1
    assert parse_json(f'{{"n":{big},"m":-{big}}}'.encode()).value == {"n": big, "m": -big}


def test_integer_longer_than_python_limit_names_path():
    body = b'{"properties":{"huge":' + b"9" * (MAX_INTEGER_DIGITS + 1) + b"}}"
    with pytest.raises(JSONBodyError) as raised:
        parse_json(body)
    assert raised.value.code == "integer_too_long"
    assert "properties.huge" in raised.value.message


@pytest.mark.parametrize("depth", [65, 1000, 100_000])
def test_deep_nesting_names_path_without_recursion(depth):
    body = b'{"batch":[{"properties":{"tree":' + b"[" * depth + b"]" * depth + b"}}]}"
    with pytest.raises(JSONBodyError) as raised:
        parse_json(body)
    assert raised.value.code == "too_deep"
    assert raised.value.message.count("batch[0].properties.tree") == 1


def test_nesting_at_the_limit_is_accepted():
    body = b"[" * 64 + b"]" * 64
    assert parse_json(body, max_depth=64).value is not None


def test_invalid_utf8_names_byte_offset():
    with pytest.raises(JSONBodyError) as raised:
        parse_json(b'{"a":"caf\xe9"}')
    assert raised.value.code == "invalid_utf8"
    assert raised.value.offset == 9
    assert "offset 9" in raised.value.message


@pytest.mark.parametrize("body", [b"", b"{", b'{"a":1,}', b"{'a':1}", b'{"a":01}', b"[1 2]", b'{"a":1} x'])
def test_invalid_json_names_byte_offset(body):
    with pytest.raises(JSONBodyError) as raised:
        parse_json(body)
    assert raised.value.code == "invalid_json"
    assert f"byte {raised.value.offset}" in raised.value.message


def test_batch_item_bytes_kept_when_changed():
    body = b'{"batch":[{"a":1}, {"b":NaN} ,{"c":"\\u0000"}]}'
    result = parse_json(body)
    assert result.item_bytes(1) == b'{"b":NaN}'
    assert result.item_bytes(2) == b'{"c":"\\u0000"}'


def test_floats_keep_value():
    result = parse_json(b'{"a":0.1,"b":-0.0,"c":1e308,"d":5e-324}')
    assert result.value["a"] == 0.1
    assert math.copysign(1, result.value["b"]) == -1
    assert result.value["c"] == 1e308
