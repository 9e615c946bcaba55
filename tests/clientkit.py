"""
Which SDK runtimes this machine has, and what a test does when one is absent.

A client's tests skip only when its runtime is missing, with a message that
names the install command. With TRACKSIDE_REQUIRE_ALL_CLIENTS=1 (CI sets it), a
missing runtime fails the test instead, so no client goes untested there.
"""
import importlib
import os
import shutil
from pathlib import Path
from types import ModuleType

import pytest

REQUIRE_ALL_VARIABLE = "TRACKSIDE_REQUIRE_ALL_CLIENTS"
CHROMIUM_PATH = Path("/usr/bin/chromium")
# Every Chromium run in the suite uses these switches.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def all_clients_required() -> bool:
    return os.environ.get(REQUIRE_ALL_VARIABLE, "").strip() == "1"


def require_runtime(available: bool, message: str) -> None:
    """Skip the calling test when ``available`` is false, or fail it when every client is required."""
    if available:
        return
    if all_clients_required():
        pytest.fail(f"{message} ({REQUIRE_ALL_VARIABLE}=1 turns this skip into a failure.)", pytrace=False)
    pytest.skip(message)


def require_node() -> None:
    missing = [name for name in ("node", "npm") if shutil.which(name) is None]
    require_runtime(
        not missing,
        f"{' and '.join(missing)} not found on PATH, so the Node SDK tests cannot run. "
        "Install Node.js with npm (Debian: apt-get install nodejs npm).",
    )


def require_chromium() -> None:
    require_runtime(
        CHROMIUM_PATH.exists(),
        f"{CHROMIUM_PATH} not found, so the browser SDK tests cannot run. "
        "Install Debian's Chromium: apt-get install chromium.",
    )


def require_python_package(module_name: str, distribution: str) -> ModuleType:
    """Import ``module_name``, or skip (or fail) naming the PyPI ``distribution`` to install."""
    try:
        return importlib.import_module(module_name)
    except ImportError as error:
        require_runtime(
            False,
            f"Python module {module_name!r} is not importable ({error}). "
            f"Install it with: pip install {distribution} (or pip install -e '.[test]').",
        )
        raise  # not reached: require_runtime skips or fails
