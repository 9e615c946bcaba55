"""Settings read from the environment, checked in a fresh interpreter each."""
import json
import os
import subprocess
import sys

from .live import PROJECT_DIR

PRINT_SETTINGS = (
    "import json, tracker.settings as s; "
    "print(json.dumps({'csrf': s.CSRF_TRUSTED_ORIGINS, 'proxy': getattr(s, 'SECURE_PROXY_SSL_HEADER', None), "
    "'hosts': s.ALLOWED_HOSTS}))"
)


def read_settings(tmp_path, **variables: str) -> dict:
    env = {
        key: value for key, value in os.environ.items()
        if key not in ("CSRF_TRUSTED_ORIGINS", "TRACKSIDE_BEHIND_PROXY", "ALLOWED_HOSTS")
    }
    env.update(TRACKSIDE_DATA_DIR=str(tmp_path), **variables)
    done = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_defaults_trust_no_proxy(tmp_path):
    assert read_settings(tmp_path) == {"csrf": [], "proxy": None, "hosts": ["127.0.0.1", "localhost"]}


def test_https_proxy_deployment(tmp_path):
    found = read_settings(
        tmp_path,
        ALLOWED_HOSTS="trackside.example.com, ",
        CSRF_TRUSTED_ORIGINS="https://trackside.example.com, https://debug.example.com",
        TRACKSIDE_BEHIND_PROXY="1",
    )
    assert found == {
        "csrf": ["https://trackside.example.com", "https://debug.example.com"],
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "hosts": ["trackside.example.com"],
    }
