"""Small value helpers shared by the rule modules."""
import json
import re
from typing import Any

_PLAIN_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def describe(value: Any, limit: int = 60) -> str:
    """Name a value's JSON type and show it, shortened: 'the string "25.50"'."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "the boolean " + ("true" if value else "false")
    if isinstance(value, (int, float)):
        return f"the number {shorten(repr(value), limit)}"
    if isinstance(value, str):
        return "the string " + shorten(json.dumps(value, ensure_ascii=False), limit)
    if isinstance(value, list):
        return f"an array of {len(value)} item" + ("" if len(value) == 1 else "s")
    if isinstance(value, dict):
        return f"an object with {len(value)} key" + ("" if len(value) == 1 else "s")
    return type(value).__name__


def json_type(value: Any) -> str:
    """Return the JSON type name of ``value``: string, number, boolean, null, array or object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def number_from_string(text: str) -> int | float | None:
    """Return the number a plain numeric string spells ("25.50" -> 25.5), else None.

    Strings with currency symbols, digit grouping or a decimal comma return None,
    because any number read from them would be a guess.
    """
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    if re.fullmatch(r"[+-]?[0-9]+", text):
        return int(text)
    number = float(text)
    if number in (float("inf"), float("-inf")):
        return None
    # "42.00" suggests 42, as JSON writes it, rather than Python's 42.0.
    if number.is_integer() and abs(number) < 2**53:
        return int(number)
    return number
