"""The Redis channel layer as settings.py configures it, against a real Redis."""
import os
import subprocess
import sys

from .live import PROJECT_DIR, redis_url_or_skip

# Waits on an empty channel for longer than redis-py 8's default 5 s socket timeout.
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
    redis_url = redis_url_or_skip()
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
