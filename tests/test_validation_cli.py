"""The validator from the command line: ``python -m tracker.validation``."""
import io
import json
import subprocess
import sys

from tracker.validation.__main__ import main

GOOD = {"type": "track", "userId": "u_1", "event": "Report Exported"}
BAD = {"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"order_id": "o_1", "revenue": "25.50"}}


def run(*argv: str, stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(argv), stdin=io.StringIO(stdin), stdout=out)
    return status, out.getvalue()


def test_cli_clean_message():
    status, output = run(stdin=json.dumps(GOOD))
    assert status == 0
    assert output == "<stdin>: 0 problems\n"


def test_cli_error_exit_status():
    status, output = run(stdin=json.dumps(BAD))
    assert status == 1
    assert "error   amount_not_number at properties.revenue" in output


def test_cli_batch_file_as_json(tmp_path):
    path = tmp_path / "batch.json"
    path.write_text(json.dumps({"batch": [GOOD, BAD, "not a message"]}))
    status, output = run("--json", str(path))
    rows = json.loads(output)
    assert status == 1
    assert [(row["input"], row["code"]) for row in rows] == [(f"{path} batch[1]", "amount_not_number")]
    assert rows[0]["suggestion"] == 25.5


def test_cli_list_of_messages():
    status, output = run(stdin=json.dumps([GOOD, {"type": "track", "userId": "u_1", "event": "Event 12"}]))
    assert status == 0
    assert "<stdin> [1]: 1 problem\n  warning event_name_nondescript at event" in output


def test_cli_invalid_json(capsys):
    status, output = run(stdin="{not json")
    assert status == 2
    assert output == ""
    assert "<stdin> is not valid JSON" in capsys.readouterr().err


def test_cli_missing_file(capsys, tmp_path):
    status, _ = run(str(tmp_path / "missing.json"))
    assert status == 2
    assert "missing.json" in capsys.readouterr().err


def test_cli_runs_as_module_without_django():
    script = (
        "import runpy, sys; sys.argv = ['x']; "
        "sys.stdin = __import__('io').StringIO('{\"type\": \"track\", \"event\": \"Report Exported\"}'); "
        "code = 0\n"
        "try:\n    runpy.run_module('tracker.validation', run_name='__main__')\n"
        "except SystemExit as exit:\n    code = exit.code\n"
        "print('django' in sys.modules, code)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "False 1"
    assert "id_missing" in result.stdout
