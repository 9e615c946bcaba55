"""
JSON paths as problems and parse errors print them.

Keys are joined with dots and indexes written in brackets. A key that is empty
or contains a dot or a bracket is written as a JSON string in brackets, so
``properties["a.b"]`` (one key) never reads like ``properties.a.b`` (two keys)::

    >>> format_path(("properties", "a.b", 0, "price"))
    'properties["a.b"][0].price'
    >>> format_path(())
    ''
"""
import json
from collections.abc import Iterable

PathPart = str | int
Path = tuple[PathPart, ...]


def _needs_quotes(key: str) -> bool:
    return key == "" or "." in key or "[" in key or "]" in key


def format_path(parts: Iterable[PathPart]) -> str:
    """Render path parts as one string; the root is the empty string."""
    out: list[str] = []
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _needs_quotes(part):
            out.append("[" + json.dumps(part, ensure_ascii=False) + "]")
        elif out:
            out.append("." + part)
        else:
            out.append(part)
    return "".join(out)
