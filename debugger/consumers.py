"""
The live debugger websocket, /ws/debugger/.

Client frames (JSON objects):
- {"type": "subscribe", "filters": {...}, "backfill": 100, "after_id": 123}:
  replace the filters (see debugger.filters), then send the newest ``backfill``
  matching events, or with ``after_id`` every matching event after that id
  (catch-up after a reconnect), oldest first, each marked "backfill": true,
  and finally {"type": "backfill_done", "last_id": N}.
- {"type": "ack", "count": N}: N event frames were handled.
- {"type": "ping"}: answered with {"type": "pong"}.

Server frames: {"type": "hello", ...} on connect, {"type": "event", "event":
item}, {"type": "rejection", "rejection": item}, {"type": "duplicate", "id",
"count"}, {"type": "skipped", "count": N, "reload": URL} and {"type": "error",
"message"}.

Flow control: at most ``window`` event frames may be unacknowledged. Events
that arrive beyond it are not queued but counted, and the client gets a
"skipped" frame (at most one a second) with the count and a read API URL to
load them from history. So a slow browser never makes the server buffer
without bound, and never slows ingestion.
"""
import json
import logging
import time
from urllib.parse import urlencode

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import reverse

from tracker.api.items import dumps, event_item
from tracker.conf import trackside_settings
from tracker.models import Event

from .filters import FilterError, StreamFilters
from .groups import stream_group

logger = logging.getLogger(__name__)

# Most events a catch-up after a reconnect sends before pointing at history instead.
MAX_CATCH_UP = 1000
SKIPPED_NOTICE_INTERVAL = 1.0
FULL_LOG_INTERVAL = 10.0


class GapCounter:
    """Count items lost between broadcasts, from each origin's running total."""

    def __init__(self) -> None:
        self.last_sent: dict[str, int] = {}

    def missed(self, origin: str, sent: int, size: int) -> int:
        previous = self.last_sent.get(origin)
        if previous is None or sent <= previous:
            self.last_sent[origin] = max(sent, previous or 0)
            return 0
        self.last_sent[origin] = sent
        return max(0, sent - size - previous)


class DebuggerConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_staff:
            logger.info("Refused a debugger websocket without a staff user")
            await self.close(code=4403)
            return
        self.filters = StreamFilters()
        self.window = trackside_settings.DEBUGGER_WINDOW
        self.unacked = 0
        self.skipped = 0
        self.skipped_from_id: int | None = None
        self.last_notice = 0.0
        self.last_full_log = 0.0
        self.gaps = GapCounter()
        await self.channel_layer.group_add(stream_group(), self.channel_name)
        await self.accept()
        await self.send_json({"type": "hello", "user": user.get_username(), "window": self.window})

    async def disconnect(self, code):
        if hasattr(self, "filters"):
            await self.channel_layer.group_discard(stream_group(), self.channel_name)

    async def send_json(self, data) -> None:
        await self.send(text_data=dumps(data))

    # Client frames

    async def receive(self, text_data=None, bytes_data=None):
        try:
            frame = json.loads(text_data or "")
        except ValueError:
            await self.send_json({"type": "error", "message": "Frames must be JSON objects."})
            return
        if not isinstance(frame, dict):
            await self.send_json({"type": "error", "message": "Frames must be JSON objects."})
            return
        kind = frame.get("type")
        if kind == "ack":
            count = frame.get("count")
            if isinstance(count, int) and count > 0:
                self.unacked = max(0, self.unacked - count)
                await self.flush_skipped(force=True)
        elif kind == "subscribe":
            await self.subscribe(frame)
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_json({"type": "error", "message": f"Unknown frame type {kind!r}; use subscribe, ack or ping."})

    async def subscribe(self, frame: dict) -> None:
        try:
            filters = StreamFilters.from_dict(frame.get("filters"))
        except FilterError as error:
            await self.send_json({"type": "error", "message": str(error)})
            return
        self.filters = filters
        self.skipped = 0
        self.skipped_from_id = None
        await self.send_json({"type": "subscribed", "filters": filters.as_dict()})
        after_id = frame.get("after_id")
        backfill = frame.get("backfill", trackside_settings.DEBUGGER_BACKFILL)
        if not isinstance(backfill, int) or backfill < 0:
            backfill = trackside_settings.DEBUGGER_BACKFILL
        items, more, last_id = await self.load_history(
            filters, after_id if isinstance(after_id, int) else None, min(backfill, 1000)
        )
        for item in items:
            await self.send(text_data='{"type":"event","backfill":true,"event":' + item + "}")
        if more:
            await self.send_json({
                "type": "skipped", "count": more, "reason": "catch_up_limit", "reload": self.reload_url(after_id),
            })
        await self.send_json({"type": "backfill_done", "last_id": last_id})

    @database_sync_to_async
    def load_history(self, filters: StreamFilters, after_id: int | None, limit: int):
        events = filters.apply(Event.objects.select_related("source"))
        if after_id is not None:
            newer = events.filter(id__gt=after_id).order_by("id")
            rows = list(newer[:MAX_CATCH_UP])
            more = newer.count() - len(rows) if len(rows) == MAX_CATCH_UP else 0
        else:
            rows = list(events.order_by("-id")[:limit])[::-1]
            more = 0
        last_id = rows[-1].pk if rows else after_id
        return [dumps(event_item(event)) for event in rows], more, last_id

    # Broadcasts

    async def stream_items(self, message):
        missed = self.gaps.missed(message["origin"], message["sent"], len(message["items"]))
        if missed:
            self.count_skipped(missed, None)
        filters = self.filters
        for item in message["items"]:
            kind = item["kind"]
            if kind == "event":
                if not filters.matches_event(item):
                    continue
                if self.unacked >= self.window:
                    self.count_skipped(1, item["id"])
                    continue
                self.unacked += 1
                await self.send(text_data='{"type":"event","event":' + item["json"] + "}")
            elif kind == "rejection":
                if filters.matches_rejection(item):
                    await self.send(text_data='{"type":"rejection","rejection":' + item["json"] + "}")
            elif kind == "duplicate" and (not filters.source or filters.source == item["source"]):
                await self.send_json({"type": "duplicate", "id": item["id"], "count": item["count"]})
        await self.flush_skipped()

    def count_skipped(self, count: int, event_id: int | None) -> None:
        self.skipped += count
        if event_id is not None and self.skipped_from_id is None:
            self.skipped_from_id = event_id
        now = time.monotonic()
        if now - self.last_full_log >= FULL_LOG_INTERVAL:
            self.last_full_log = now
            logger.warning(
                "Debugger client %s is behind: %d events skipped so far (window %d)",
                self.channel_name, self.skipped, self.window,
            )

    async def flush_skipped(self, force: bool = False) -> None:
        if not self.skipped:
            return
        now = time.monotonic()
        if not force and now - self.last_notice < SKIPPED_NOTICE_INTERVAL:
            return
        self.last_notice = now
        after = self.skipped_from_id - 1 if self.skipped_from_id else None
        await self.send_json({
            "type": "skipped",
            "count": self.skipped,
            "reason": "slow_client",
            "reload": self.reload_url(after),
        })
        self.skipped = 0
        self.skipped_from_id = None

    def reload_url(self, after_id: int | None) -> str:
        query = {key: value for key, value in self.filters.as_dict().items()}
        if after_id is not None:
            query["after_id"] = str(after_id)
        return reverse("api-events") + ("?" + urlencode(query) if query else "")
