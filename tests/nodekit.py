"""
The npm packages the SDK tests drive, installed on demand from tests/node.

``ensure_node_packages()`` runs ``npm ci`` in tests/node when node_modules is
missing or was installed from another package-lock.json, so the README's
``pip install -e '.[test]' && pytest`` works on a fresh clone. The browser
files (an esbuild bundle of analytics-next's npm build, and its standalone
build) are built into a folder the caller chooses, never into the repository.
"""
import functools
import hashlib
import json
import logging
import shutil
import subprocess
from pathlib import Path

from .clientkit import require_node

logger = logging.getLogger(__name__)

NODE_DIR = Path(__file__).resolve().parent / "node"
LOCK_FILE = NODE_DIR / "package-lock.json"
MODULES_DIR = NODE_DIR / "node_modules"
# Written after a successful install: the SHA-256 of the package-lock.json it installed.
STAMP_FILE = MODULES_DIR / ".trackside-lock-sha256"
NPM_CI_TIMEOUT_SECONDS = 600
BUILD_TIMEOUT_SECONDS = 120

NPM_BUNDLE_NAME = "ajs-npm-bundle.js"
STANDALONE_NAME = "analytics.min.js"


def lock_digest() -> str:
    return hashlib.sha256(LOCK_FILE.read_bytes()).hexdigest()


def node_packages_current() -> bool:
    return STAMP_FILE.exists() and STAMP_FILE.read_text().strip() == lock_digest()


def install_node_packages() -> None:
    """Run ``npm ci`` in tests/node; raise with npm's output when it fails."""
    logger.info("Installing the test suite's npm packages in %s", NODE_DIR)
    command = ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"]
    done = subprocess.run(
        command, cwd=NODE_DIR, capture_output=True, text=True, timeout=NPM_CI_TIMEOUT_SECONDS,
    )
    if done.returncode != 0:
        raise RuntimeError(
            f"`{' '.join(command)}` failed in {NODE_DIR} with exit status {done.returncode}:\n"
            f"{done.stdout}\n{done.stderr}\nRun it by hand there to see why."
        )
    STAMP_FILE.write_text(lock_digest() + "\n")


@functools.cache
def _installed_node_dir() -> Path:
    if not node_packages_current():
        install_node_packages()
    return NODE_DIR


def ensure_node_packages() -> Path:
    """Skip (or fail) without node and npm; install the packages once per run when needed."""
    require_node()
    return _installed_node_dir()


def build_browser_files(out_dir: Path) -> Path:
    """Write the two analytics-next builds the test pages load into ``out_dir``.

    ``ajs-npm-bundle.js`` is the npm build bundled by esbuild, exposing
    ``window.AnalyticsBrowser``. ``analytics.min.js`` is the package's own
    standalone build, the file the snippet loads from Segment's CDN.
    """
    ensure_node_packages()
    out_dir.mkdir(parents=True, exist_ok=True)
    command = [
        str(MODULES_DIR / ".bin" / "esbuild"), "browser-entry.js", "--bundle", "--format=iife",
        "--platform=browser", "--log-level=warning", f"--outfile={out_dir / NPM_BUNDLE_NAME}",
    ]
    done = subprocess.run(command, cwd=NODE_DIR, capture_output=True, text=True, timeout=BUILD_TIMEOUT_SECONDS)
    if done.returncode != 0:
        raise RuntimeError(f"esbuild failed to bundle analytics-next (exit status {done.returncode}):\n{done.stderr}")
    standalone = MODULES_DIR / "@segment" / "analytics-next" / "dist" / "umd" / "standalone.js"
    shutil.copyfile(standalone, out_dir / STANDALONE_NAME)
    return out_dir


def run_node_script(script: str, config: dict, timeout: float = 120.0) -> dict:
    """Run ``tests/node/<script>`` with ``config`` as JSON on stdin; return the JSON it prints."""
    ensure_node_packages()
    done = subprocess.run(
        ["node", script], cwd=NODE_DIR, input=json.dumps(config), capture_output=True, text=True, timeout=timeout,
    )
    if done.returncode != 0:
        raise RuntimeError(f"node {script} failed with exit status {done.returncode}:\n{done.stderr}")
    return json.loads(done.stdout)


if __name__ == "__main__":
    # `python -m tests.nodekit` installs the packages ahead of a test run, as CI may.
    install_node_packages()
    print(f"Installed the npm packages of {NODE_DIR}")
