"""The Redis channel layer as settings.py configures it, against a real Redis."""
import os
import subprocess
import sys

import pytest

from .live import PROJECT_DIR
from .test_workers import DEFAULT_REDIS_URL, redis_reachable

# Waits on an empty channel for longer than channels-redis's 5 s blocking read.
IDLE_RECEIVE = """
import asyncio, django
django.setup()
from channels.layers import get_channel_layer

async def main():
    layer = get_channel_layer()
    channel = await layer.new_channel()
    try:
        await asyncio.wait_for(layer.receive(channel), 7)
    except asyncio.TimeoutError:
        print("idle")

asyncio.run(main())
"""


def test_idle_receive_outlasts_blocking_read(tmp_path):
    redis_url = os.environ.get("REDIS_URL") or DEFAULT_REDIS_URL
    if not redis_reachable(redis_url):
        message = f"Redis is not reachable at {redis_url}; start it with `redis-server --daemonize yes`."
        if os.environ.get("TRACKSIDE_REQUIRE_ALL_CLIENTS"):
            pytest.fail(message)
        pytest.skip(message)
    env = {
        **os.environ, "REDIS_URL": redis_url, "TRACKSIDE_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "tracker.settings",
    }

    done = subprocess.run(
        [sys.executable, "-c", IDLE_RECEIVE], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60,
    )

    # A websocket with no traffic must not fail with "Timeout reading from" Redis.
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "idle"
