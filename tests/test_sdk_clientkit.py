"""Guards for the skip-or-fail rule of SDK runtimes and for the npm install check."""
import shutil
from pathlib import Path

import pytest

from . import clientkit, nodekit


def test_present_runtime_neither_skips_nor_fails(monkeypatch):
    monkeypatch.setenv(clientkit.REQUIRE_ALL_VARIABLE, "1")
    clientkit.require_runtime(True, "unused")


def test_missing_runtime_skips_with_install_hint(monkeypatch):
    monkeypatch.delenv(clientkit.REQUIRE_ALL_VARIABLE, raising=False)
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(pytest.skip.Exception) as skipped:
        clientkit.require_node()
    assert "node and npm not found on PATH" in str(skipped.value)
    assert "apt-get install nodejs npm" in str(skipped.value)


def test_missing_runtime_fails_when_all_required(monkeypatch):
    monkeypatch.setenv(clientkit.REQUIRE_ALL_VARIABLE, "1")
    monkeypatch.setattr(clientkit, "CHROMIUM_PATH", Path("/nonexistent/chromium"))
    with pytest.raises(pytest.fail.Exception) as failed:
        clientkit.require_chromium()
    assert "apt-get install chromium" in str(failed.value)
    assert "TRACKSIDE_REQUIRE_ALL_CLIENTS=1" in str(failed.value)


def test_missing_python_package_names_distribution(monkeypatch):
    monkeypatch.delenv(clientkit.REQUIRE_ALL_VARIABLE, raising=False)
    with pytest.raises(pytest.skip.Exception) as skipped:
        clientkit.require_python_package("trackside_no_such_sdk", "no-such-sdk")
    assert "pip install no-such-sdk" in str(skipped.value)


def test_node_packages_stale_after_lock_change(tmp_path, monkeypatch):
    lock = tmp_path / "package-lock.json"
    stamp = tmp_path / "stamp"
    monkeypatch.setattr(nodekit, "LOCK_FILE", lock)
    monkeypatch.setattr(nodekit, "STAMP_FILE", stamp)
    lock.write_text('{"lockfileVersion": 3}')

    assert not nodekit.node_packages_current()
    stamp.write_text(nodekit.lock_digest() + "\n")
    assert nodekit.node_packages_current()
    lock.write_text('{"lockfileVersion": 3, "packages": {}}')
    assert not nodekit.node_packages_current()
