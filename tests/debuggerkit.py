"""
Helpers for in-process tests of the debugger websocket: a client around
Channels' WebsocketCommunicator, driven through the project's real ASGI
application (origin check, session and token auth), and senders that store
events through the ingest endpoints.
"""
import base64
import json
from typing import Any

from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

ORIGIN = "http://localhost"


def ws_headers(token: str | None = None, origin: str | None = ORIGIN, cookie: str | None = None) -> list:
    headers = []
    if origin is not None:
        headers.append((b"origin", origin.encode()))
    if token is not None:
        headers.append((b"authorization", f"Token {token}".encode()))
    if cookie is not None:
        headers.append((b"cookie", cookie.encode()))
    return headers


class DebuggerClient:
    """A websocket client of /ws/debugger/ that reads frames one at a time."""

    def __init__(self, headers: list):
        from tracker.asgi import application

        self.communicator = WebsocketCommunicator(application, "/ws/debugger/", headers=headers)
        self.hello: dict | None = None
        self.before_subscribed: list[dict] = []

    async def connect(self) -> tuple[bool, Any]:
        connected, detail = await self.communicator.connect(timeout=5)
        if connected:
            self.hello = await self.frame()
        return connected, detail

    async def close(self) -> None:
        await self.communicator.disconnect()

    async def frame(self, timeout: float = 5) -> dict:
        """Return the next frame; fails the test when none arrives within ``timeout`` seconds."""
        return json.loads(await self.communicator.receive_from(timeout=timeout))

    async def text_frame(self, timeout: float = 5) -> str:
        return await self.communicator.receive_from(timeout=timeout)

    async def send(self, frame: Any) -> None:
        text = frame if isinstance(frame, str) else json.dumps(frame)
        await self.communicator.send_to(text_data=text)

    async def quiet(self, seconds: float = 0.3) -> bool:
        """Return True when no frame arrives within ``seconds`` (the connection stays open)."""
        return await self.communicator.receive_nothing(timeout=seconds)

    async def subscribe(self, **frame: Any) -> tuple[dict, list[dict], dict]:
        """
        Subscribe; return the "subscribed" response, the history frames and the
        "backfill_done" frame.

        Live frames that arrive before "subscribed" belong to the previous
        filters (a worker broadcasts its commits a few milliseconds late); they
        are kept in ``before_subscribed``.
        """
        await self.send({"type": "subscribe", **frame})
        self.before_subscribed = []
        answer = await self.frame()
        while answer["type"] in ("event", "rejection", "duplicate", "skipped"):
            self.before_subscribed.append(answer)
            answer = await self.frame()
        assert answer["type"] == "subscribed", answer
        history = []
        while True:
            frame = await self.frame()
            if frame["type"] == "backfill_done":
                return answer, history, frame
            history.append(frame)

    async def frames(self, count: int, timeout: float = 5) -> list[dict]:
        return [await self.frame(timeout) for _ in range(count)]


async def connect_staff(token: str, **subscribe: Any) -> DebuggerClient:
    """Connect with a staff token and subscribe (no backfill unless requested)."""
    client = DebuggerClient(ws_headers(token))
    connected, detail = await client.connect()
    assert connected, f"the websocket was closed with {detail}"
    subscribe.setdefault("backfill", 0)
    await client.subscribe(**subscribe)
    return client


def _post_batch(write_key: str, messages: list) -> dict:
    auth = "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()
    response = Client().generic(
        "POST", "/v1/batch", data=json.dumps({"batch": messages}),
        content_type="application/json", headers={"Authorization": auth},
    )
    assert response.status_code == 200, response.content
    return response.json()


async def post_batch(write_key: str, messages: list) -> dict:
    """Send one batch through the ingest endpoint (stored in one commit, broadcast once)."""
    return await sync_to_async(_post_batch)(write_key, messages)


def track(name: str, user: str = "u_1", **properties: Any) -> dict:
    return {"type": "track", "userId": user, "event": name, "properties": properties}


def event_ids(frames: list[dict]) -> list[int]:
    return [frame["event"]["id"] for frame in frames if frame["type"] == "event"]


def _api_ids(token: str, query: str) -> list[int]:
    ids = []
    url = "/api/events/?" + query
    client = Client()
    while url:
        response = client.get(url, headers={"Authorization": f"Token {token}"})
        assert response.status_code == 200, response.content
        data = response.json()
        ids += [item["id"] for item in data["results"]]
        url = data["next"]
    return ids


async def api_ids(token: str, query: str) -> list[int]:
    """Return the ids the read API lists for ``query``, newest first."""
    return await sync_to_async(_api_ids)(token, query)


async def api_item(token: str, event_id: int) -> dict:
    def get() -> dict:
        response = Client().get(f"/api/events/{event_id}/", headers={"Authorization": f"Token {token}"})
        assert response.status_code == 200, response.content
        return response.json()

    return await sync_to_async(get)()
