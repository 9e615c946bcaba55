"""Management commands: create_source, quickstart's set-up, send_demo_events."""
import socket
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from tracker.models import Source, generate_write_key

from .live import PROJECT_DIR
from .livekit import wait_for_events


@pytest.mark.django_db
def test_create_source_prints_key_last(capsys):
    call_command("create_source", "shop", "--write-key", "wk_shop")
    assert capsys.readouterr().out.strip().splitlines()[-1] == "wk_shop"
    assert Source.objects.get(name="shop").write_key == "wk_shop"


@pytest.mark.django_db
def test_create_source_generates_a_key(capsys):
    call_command("create_source", "shop")
    key = capsys.readouterr().out.strip().splitlines()[-1]
    assert len(key) == 32
    assert Source.objects.get(name="shop").write_key == key


def test_generated_write_keys_never_look_like_options():
    # A key starting with "-" breaks `--write-key KEY` and `curl -u KEY:`.
    keys = [generate_write_key() for _ in range(2000)]
    assert all(key.isalnum() and key.isascii() and len(key) == 32 for key in keys)
    assert len(set(keys)) == len(keys)


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["wk:shop", "wk shop", " wk_shop", "wk_shop\n"])
def test_create_source_rejects_unsendable_key(key):
    with pytest.raises(CommandError, match="cannot contain ':' or whitespace"):
        call_command("create_source", "shop", "--write-key", key)
    assert not Source.objects.filter(name="shop").exists()


@pytest.mark.django_db
def test_create_source_twice_fails(capsys):
    call_command("create_source", "shop")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_source", "shop")


def test_create_source_existing_name_exits_1(tmp_path):
    env = {"TRACKSIDE_DATA_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin"}
    run = lambda *args: subprocess.run(  # noqa: E731
        [sys.executable, "manage.py", *args], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120,
    )
    assert run("migrate", "-v0").returncode == 0
    assert run("create_source", "shop").returncode == 0
    second = run("create_source", "shop")
    assert second.returncode == 1
    assert "already exists" in second.stderr


@pytest.mark.django_db
def test_quickstart_sets_up_once(capsys):
    call_command("quickstart", "--no-serve")
    first = capsys.readouterr().out
    password_line = next(line for line in first.splitlines() if "Admin password" in line)
    password = password_line.split(":", 1)[1].split()[0]
    assert get_user_model().objects.get(username="admin").check_password(password)
    key = Source.objects.get(name="development").write_key
    assert key in first and "/debugger/" in first and "/admin/" in first
    call_command("quickstart", "--no-serve")
    second = capsys.readouterr().out
    assert key in second
    assert password not in second
    assert Source.objects.count() == 1


@pytest.mark.live
def test_send_demo_events_fills_a_live_server(live_server_process):
    server = live_server_process
    before = len(wait_for_events(server, "/api/events/?source=live&limit=1000", 0))
    done = subprocess.run(
        [sys.executable, "manage.py", "send_demo_events", "--url", server.url, f"--write-key={server.write_key}"],
        cwd=PROJECT_DIR, env=server.env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    sent = int(done.stdout.split()[1])
    events = wait_for_events(server, "/api/events/?source=live&limit=1000", before + sent)
    assert len(events) == before + sent
    codes = {problem["code"] for event in events for problem in event["problems"]}
    for expected in ("amount_not_number", "currency_invalid", "event_not_string", "properties_not_object",
                     "id_missing", "non_finite_number", "event_name_nondescript"):
        assert expected in codes


def test_serve_names_a_busy_port(tmp_path):
    env = {"TRACKSIDE_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for command in (["serve"], ["quickstart"]):
            done = subprocess.run(
                [sys.executable, "manage.py", *command, "--port", str(port)],
                cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=120,
            )
            assert done.returncode == 1, command
            assert f"Cannot listen on 127.0.0.1:{port}" in done.stderr
            assert "--port" in done.stderr
            assert "Trackside is ready" not in done.stdout


def test_send_demo_events_reports_unreachable_server():
    done = subprocess.run(
        [sys.executable, "manage.py", "send_demo_events", "--url", "http://127.0.0.1:9", "--write-key", "k"],
        cwd=PROJECT_DIR, capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 1
    assert "did not accept" in done.stderr
