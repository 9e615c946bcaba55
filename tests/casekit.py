"""
Runs the real-world cases of the shared cases folder against Trackside.

The file format is described in that folder's README: requests with
placeholders and generated bodies, response checks, and checks of what the
source stored, read back through the read API.
"""
import base64
import copy
import json
import os
import re
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

CASES_DIR = Path(os.environ.get("TRACKSIDE_CASES_DIR", Path(__file__).resolve().parents[2] / "shared" / "cases"))


def case_files() -> list[Path]:
    return sorted(CASES_DIR.glob("*.json"))


@dataclass
class Keys:
    write_key: str
    write_key_2: str = ""

    def placeholders(self) -> dict[str, str]:
        values = {
            "WRITE_KEY": self.write_key,
            "BASIC_AUTH": base64.b64encode(f"{self.write_key}:".encode()).decode(),
        }
        if self.write_key_2:
            values["WRITE_KEY_2"] = self.write_key_2
            values["BASIC_AUTH_2"] = base64.b64encode(f"{self.write_key_2}:".encode()).decode()
        return values


def uses_second_source(case: dict) -> bool:
    return "expect_after_second_source" in case or "_2}}" in json.dumps(case)


def fill(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\{\{([A-Z_0-9]+)\}\}", lambda m: values.get(m.group(1), m.group(0)), text)


def fill_strings(value: Any, values: dict[str, str]) -> Any:
    """Fill placeholders in every string of a JSON value; object keys stay as they are."""
    if isinstance(value, str):
        return fill(value, values)
    if isinstance(value, list):
        return [fill_strings(item, values) for item in value]
    if isinstance(value, dict):
        return {key: fill_strings(item, values) for key, item in value.items()}
    return value


def compact(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def build_body(request: dict, values: dict[str, str]) -> bytes:
    if "body_json" in request:
        return compact(fill_strings(request["body_json"], values))
    if "body_text" in request:
        return fill(request["body_text"], values).encode()
    if "body_base64" in request:
        return base64.b64decode(request["body_base64"])
    if "body_generate" in request:
        return generate_body(request["body_generate"], values)
    return b""


def generate_body(spec: dict, values: dict[str, str]) -> bytes:
    kind = spec["kind"]
    template = fill_strings(spec["template"], values)
    if kind == "pad":
        return compact(_replace_string(template, lambda s: s.replace("{{PAD}}", "x" * spec["bytes"])))
    if kind == "props":
        width = max(3, len(str(spec["count"] - 1)))
        props = {f"p{i:0{width}d}": i for i in range(spec["count"])}
        return compact(_replace_value(template, "{{PROPS}}", props))
    if kind == "nest":
        marker = "__NEST_MARKER__"
        text = compact(_replace_value(template, "{{NEST}}", marker)).decode()
        nested = "[" * spec["depth"] + "]" * spec["depth"]
        return text.replace(json.dumps(marker), nested).encode()
    if kind == "batch":
        messages = [
            _replace_string(copy.deepcopy(template), lambda s, i=i: s.replace("{{I}}", str(i)))
            for i in range(spec["count"])
        ]
        envelope = fill_strings(spec.get("envelope", {}), values)
        return compact({**envelope, "batch": messages})
    raise ValueError(f"Unknown body_generate kind {kind!r}")


def _replace_string(value: Any, change) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_replace_string(item, change) for item in value]
    if isinstance(value, dict):
        return {key: _replace_string(item, change) for key, item in value.items()}
    return value


def _replace_value(value: Any, marker: str, replacement: Any) -> Any:
    if value == marker:
        return replacement
    if isinstance(value, list):
        return [_replace_value(item, marker, replacement) for item in value]
    if isinstance(value, dict):
        return {key: _replace_value(item, marker, replacement) for key, item in value.items()}
    return value


# Paths: a.b[0]["x.y"]

_PATH_PART = re.compile(r'\.?([^.\[\]]+)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]')
MISSING = object()


def parse_path(path: str) -> list:
    parts: list = []
    position = 0
    while position < len(path):
        match = _PATH_PART.match(path, position)
        if match is None:
            raise ValueError(f"Cannot read path {path!r} at {position}")
        if match.group(1) is not None:
            parts.append(match.group(1))
        elif match.group(2) is not None:
            parts.append(int(match.group(2)))
        else:
            parts.append(json.loads(match.group(3)))
        position = match.end()
    return parts


def lookup(value: Any, path: str) -> Any:
    for part in parse_path(path):
        if isinstance(part, int):
            if not isinstance(value, list) or part >= len(value):
                return MISSING
        elif not isinstance(value, dict) or part not in value:
            return MISSING
        value = value[part]
    return value


def json_equal(left: Any, right: Any) -> bool:
    """Compare by JSON type and value: 1 is not true, 49 equals 49.0, null is not missing."""
    if left is MISSING or right is MISSING:
        return left is right
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        if isinstance(left, int) and isinstance(right, int):
            return left == right
        return float(left) == float(right) and not (
            isinstance(left, int) and abs(left) > 2**53 or isinstance(right, int) and abs(right) > 2**53
        )
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(json_equal(a, b) for a, b in zip(left, right))
    if isinstance(left, dict) and isinstance(right, dict):
        return left.keys() == right.keys() and all(json_equal(left[k], right[k]) for k in left)
    return type(left) is type(right) and left == right


def instant(text: Any) -> datetime:
    parsed = datetime.fromisoformat(str(text))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


def check_response(status: int, body: bytes, expect: dict, body_bytes: int) -> list[str]:
    failures = []
    if status != expect["status"]:
        failures.append(f"status {status}, expected {expect['status']}: {body[:300]!r}")
    text = body.decode("utf-8", errors="replace").lower()
    for mention in expect.get("body_mentions", []):
        options = mention if isinstance(mention, list) else [mention]
        options = [fill(option, {"BODY_BYTES": str(body_bytes)}).lower() for option in options]
        if not any(option in text for option in options):
            failures.append(f"response body mentions none of {options}: {text[:300]}")
    if "body_json_keys" in expect:
        try:
            data = json.loads(body)
        except ValueError:
            failures.append(f"response body is not JSON: {body[:200]!r}")
        else:
            missing = [key for key in expect["body_json_keys"] if not isinstance(data, dict) or key not in data]
            if missing:
                failures.append(f"response body lacks keys {missing}: {data}")
    return failures


def check_stored(events: list[dict], rejections: list[dict], expect: dict) -> list[str]:
    failures = []
    if "events_stored" in expect and len(events) != expect["events_stored"]:
        failures.append(f"{len(events)} events stored, expected {expect['events_stored']}")
    if "rejections_at_least" in expect and len(rejections) < expect["rejections_at_least"]:
        failures.append(f"{len(rejections)} rejections, expected at least {expect['rejections_at_least']}")
    for check in expect.get("events", []):
        failures.extend(_check_events(events, check))
    return failures


def _check_events(events: list[dict], check: dict) -> list[str]:
    where = check.get("where", {})
    selected = [e for e in events if all(json_equal(lookup(e["payload"], p), v) for p, v in where.items())]
    label = f"events where {where}"
    failures = []
    if "count" in check and len(selected) != check["count"]:
        failures.append(f"{label}: {len(selected)} selected, expected {check['count']}")
    elif "count" not in check and not selected:
        failures.append(f"{label}: none selected")
    for event in selected:
        payload, problems = event["payload"], event["problems"]
        for path, expected in check.get("payload_equals", {}).items():
            actual = lookup(payload, path)
            if not json_equal(actual, expected):
                failures.append(f"{label}: payload {path} is {actual!r}, expected {expected!r}")
        for time_check in check.get("times", []):
            failures.extend(_check_time(label, payload, time_check))
        for wanted in check.get("problems_include", []):
            if not any(_problem_matches(problem, wanted) for problem in problems):
                failures.append(f"{label}: no problem matches {wanted}; problems: {problems}")
        for path in check.get("problems_exclude_paths", []):
            hits = [p for p in problems if (p.get("path") or "") == path]
            if hits:
                failures.append(f"{label}: unexpected problems at {path!r}: {hits}")
    return failures


def _check_time(label: str, payload: dict, check: dict) -> list[str]:
    value = lookup(payload, check["path"])
    if value is MISSING:
        return [f"{label}: {check['path']} missing"]
    if "minus" in check:
        other = lookup(payload, check["minus"])
        delta_ms = (instant(value) - instant(other)).total_seconds() * 1000
        if abs(delta_ms - check["equals_ms"]) > 1:
            return [f"{label}: {check['path']} - {check['minus']} = {delta_ms} ms, expected {check['equals_ms']}"]
        return []
    if abs((instant(value) - instant(check["equals"])).total_seconds()) > 0.001:
        return [f"{label}: {check['path']} is {value}, expected {check['equals']}"]
    return []


def _problem_matches(problem: dict, wanted: dict) -> bool:
    def accepts(field: str, actual: Any) -> bool:
        if field not in wanted:
            return True
        options = wanted[field] if isinstance(wanted[field], list) else [wanted[field]]
        return actual in options

    if not accepts("path", problem.get("path") or ""):
        return False
    if not accepts("severity", problem.get("severity")):
        return False
    return all(text in problem.get("message", "") for text in wanted.get("message_contains", []))
