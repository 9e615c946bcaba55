"""
Validate messages from the command line, without a server or a database:

    python -m tracker.validation events.json      # a message, a list of messages or {"batch": [...]}
    cat events.json | python -m tracker.validation --json

Messages are checked as given, not enriched: no receivedAt or server
timestamp is added. The exit status is 1 when any message has an
error-level problem or is not an object, 2 when the input cannot be read,
and 0 otherwise.
"""
import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from .problems import ERROR
from .validator import validate


def main(argv: Sequence[str] | None = None, stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m tracker.validation", description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="*", help="JSON files to read; standard input when none are given.")
    parser.add_argument("--json", action="store_true", help="Print the problems as one JSON array.")
    arguments = parser.parse_args(argv)

    try:
        messages = [item for label, text in _inputs(arguments.files, stdin) for item in _messages(label, text)]
    except (OSError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2

    report = []
    for label, message in messages:
        problems = validate(message) if isinstance(message, dict) else []
        report.append((label, message, problems))
    _print(report, arguments.json, stdout)
    has_errors = any(problem.severity == ERROR for _, _, problems in report for problem in problems)
    not_objects = any(not isinstance(message, dict) for _, message, _ in report)
    return 1 if has_errors or not_objects else 0


def _inputs(files: list[str], stdin: TextIO) -> list[tuple[str, str]]:
    if not files:
        return [("<stdin>", stdin.read())]
    inputs = []
    for name in files:
        with open(name, encoding="utf-8") as handle:
            inputs.append((name, handle.read()))
    return inputs


def _messages(label: str, text: str) -> list[tuple[str, Any]]:
    try:
        data = json.loads(text)
    except ValueError as error:
        raise ValueError(f"{label} is not valid JSON: {error}") from None
    if isinstance(data, dict) and isinstance(data.get("batch"), list):
        return [(f"{label} batch[{index}]", item) for index, item in enumerate(data["batch"])]
    if isinstance(data, list):
        return [(f"{label} [{index}]", item) for index, item in enumerate(data)]
    return [(label, data)]


def _print(report: list[tuple[str, Any, list]], as_json: bool, stdout: TextIO) -> None:
    if as_json:
        rows = [{"input": label, **problem.as_dict()} for label, _, problems in report for problem in problems]
        json.dump(rows, stdout, ensure_ascii=False, indent=2)
        stdout.write("\n")
        return
    for label, message, problems in report:
        if not isinstance(message, dict):
            stdout.write(f"{label}: not a JSON object, so it cannot be a message\n")
            continue
        stdout.write(f"{label}: {len(problems)} problem{'' if len(problems) == 1 else 's'}\n")
        for problem in problems:
            stdout.write(f"  {problem.severity:7} {problem.code} at {problem.path or '(message)'}: {problem.message}\n")


if __name__ == "__main__":
    sys.exit(main())
