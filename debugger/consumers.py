"""
The live debugger websocket, /ws/debugger/.

Only active staff users connect (by session cookie or "Authorization: Token
KEY"). Anyone else is rejected during the handshake: the consumer closes
with code 4403 before accepting, which Daphne answers with HTTP 403 (so a
browser sees only a failed connection). The Origin check happens in
tracker.asgi.

Client frames (JSON objects):

- {"type": "subscribe", "filters": {...}, "backfill": 100, "after_id": 123,
  "after_rejection_id": 7, "summary": true}: replace the filters (see
  debugger.filters) and respond with {"type": "subscribed", "filters": {...},
  "summary": bool}. Then send history, oldest first, each frame marked
  "backfill": true. Without ``after_id``, history is the newest ``backfill``
  matching events and rejections (default 100, at most 1000). With
  ``after_id`` it is the catch-up after a reconnect: every matching event
  with a larger id, and every rejection after ``after_rejection_id`` (none
  when that is null). Each is capped at the newest 1000, and a "skipped"
  frame with reason "catch_up_limit" announces older missed events.
  History ends with {"type": "backfill_done", "last_id": N,
  "last_rejection_id": M}. Event frames that arrive between a subscribe and
  its "subscribed" response belong to the previous filters.
  With "summary": true, event items leave out ``payload`` and ``problems``
  (the page loads them from /api/events/<id>/ when a row is opened).
  Until its first subscribe a connection receives everything, unfiltered.
- {"type": "ack", "count": N}: N live event frames were handled.
- {"type": "ping"}: the server responds with {"type": "pong"}.

Server frames: {"type": "hello", "user", "window", "max_history", "server"}
on connect (``server`` names the worker process that serves the socket), {"type": "event", "event": item}, {"type": "rejection",
"rejection": item}, {"type": "duplicate", "id", "count"} (identical retries
counted on event ``id``), {"type": "skipped", "count", "reason", "reload"}
and {"type": "error", "message"}. Items have the read API's shape.

Flow control: at most ``window`` live event frames may be unacknowledged.
Events beyond it are counted instead of queued, and the client gets a
"skipped" frame (reason "slow_client"; at most one a second, sent even when
no further events arrive) with the count and a read API URL that lists
exactly the skipped events. Group messages the channel layer dropped are
counted too (reason "channel_full"); their ids are unknown, so that URL
lists every matching event after the last one the connection saw. So a
slow browser never makes the server buffer without bound, and never slows
ingestion. Rejections and duplicates are small and rare, so they do not
count against the window.
"""
import asyncio
import json
import logging
import time
from typing import Any
from urllib.parse import urlencode

from channels.db import database_sync_to_async
from channels.consumer import get_handler_name
from channels.generic.websocket import AsyncWebsocketConsumer
from django.urls import reverse

from tracker.api.items import dumps
from tracker.conf import trackside_settings

from .broadcast import ORIGIN
from .filters import FilterError, StreamFilters
from .flow import GapCounter, SkippedRange, SkipTracker
from .groups import stream_group
from .history import HistoryRequest, load_history

logger = logging.getLogger(__name__)

# The maximum number of events (and, separately, rejections) one subscribe sends from history.
MAX_HISTORY = 1000
SKIPPED_NOTICE_INTERVAL = 1.0
BEHIND_LOG_INTERVAL = 10.0
CLOSE_FORBIDDEN = 4403


class SubscribeError(ValueError):
    pass


class DebuggerConsumer(AsyncWebsocketConsumer):
    async def dispatch(self, message: dict[str, Any]) -> None:
        """
        Run the handler of ``message`` without Channels' per-message
        close_old_connections().

        Channels runs that call in the shared sync thread, where it waits
        behind ingest's group commits: under load it held back broadcasts
        and acknowledgements by seconds. This consumer reads the database only
        through database_sync_to_async, which closes stale connections itself.
        """
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']!r}")
        await handler(message)

    async def connect(self) -> None:
        user = self.scope.get("user")
        if user is None or not user.is_authenticated or not user.is_staff or not user.is_active:
            logger.info("Rejected a debugger websocket without an active staff user (path %s)", self.scope.get("path"))
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.filters = StreamFilters()
        self.summary = False
        self.window: int = trackside_settings.DEBUGGER_WINDOW
        self.unacked = 0
        self.last_event_id: int | None = None
        self.sent_in_history: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset())
        self.skips = SkipTracker(SKIPPED_NOTICE_INTERVAL)
        self.skip_reason = "slow_client"
        self.notice_task: asyncio.Task | None = None
        self.last_behind_log = float("-inf")
        self.gaps = GapCounter()
        await self.channel_layer.group_add(stream_group(), self.channel_name)
        await self.accept()
        await self.send_json({
            "type": "hello", "user": user.get_username(), "window": self.window, "max_history": MAX_HISTORY,
            "server": ORIGIN,
        })

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "filters"):
            return
        if self.notice_task is not None:
            self.notice_task.cancel()
        await self.channel_layer.group_discard(stream_group(), self.channel_name)
        if self.skips.total:
            logger.info("Debugger client %s left after %d skipped events", self.channel_name, self.skips.total)

    async def send_json(self, data: dict[str, Any]) -> None:
        await self.send(text_data=dumps(data))

    async def send_error(self, message: str) -> None:
        await self.send_json({"type": "error", "message": message})

    # Client frames

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            frame = json.loads(text_data or "")
        except ValueError:
            frame = None
        if not isinstance(frame, dict):
            await self.send_error('Frames must be JSON objects such as {"type": "ping"}.')
            return
        kind = frame.get("type")
        if kind == "ack":
            await self.acknowledge(frame.get("count"))
        elif kind == "subscribe":
            await self.subscribe(frame)
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_error(f"Unknown frame type {kind!r}; use subscribe, ack or ping.")

    async def acknowledge(self, count: Any) -> None:
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            await self.send_error(f"ack needs a positive whole count, not {count!r}.")
            return
        self.unacked = max(0, self.unacked - count)
        await self.send_skipped_notice()

    async def subscribe(self, frame: dict[str, Any]) -> None:
        try:
            request = history_request(frame)
        except (FilterError, SubscribeError) as error:
            await self.send_error(str(error))
            return
        self.filters = request.filters
        self.summary = request.summary
        self.skips.clear()
        await self.send_json({"type": "subscribed", "filters": self.filters.as_dict(), "summary": self.summary})
        history = await database_sync_to_async(load_history)(request)
        for text in history.frames:
            await self.send(text_data=text)
        if history.missed:
            skipped = SkippedRange(history.missed, history.missed_after_id, history.missed_before_id)
            await self.send_json(self.skipped_frame(skipped, "catch_up_limit"))
        if history.last_id is not None:
            self.last_event_id = max(self.last_event_id or 0, history.last_id)
        # Broadcasts of rows the history just sent can still be on their way (a
        # worker sends commits in groups); those are not sent a second time.
        self.sent_in_history = (history.event_ids, history.rejection_ids)
        await self.send_json({
            "type": "backfill_done", "last_id": history.last_id, "last_rejection_id": history.last_rejection_id,
        })

    # Broadcasts

    async def stream_items(self, message: dict[str, Any]) -> None:
        lost = self.gaps.missed(message["origin"], message["sent"], len(message["items"]))
        if lost:
            # NOTE: a dropped message's items were never seen, so this count may include
            # events, rejections and retries that these filters would have hidden.
            self.skips.skip_unknown(lost, self.last_event_id)
            self.skip_reason = "channel_full"
            self.log_behind()
        for item in message["items"]:
            kind = item["kind"]
            if kind == "event":
                if item["id"] not in self.sent_in_history[0]:
                    await self.send_event(item)
            elif kind == "rejection":
                if self.filters.matches_rejection(item) and item["id"] not in self.sent_in_history[1]:
                    await self.send(text_data='{"type":"rejection","rejection":' + item["json"] + "}")
            elif kind == "duplicate" and self.filters.source in ("", item["source"]):
                await self.send_json({"type": "duplicate", "id": item["id"], "count": item["count"]})
        await self.send_skipped_notice()

    async def send_event(self, item: dict[str, Any]) -> None:
        if not self.filters.matches_event(item):
            return
        self.last_event_id = max(self.last_event_id or 0, item["id"])
        if self.unacked >= self.window:
            self.skips.skip_event(item["id"])
            self.log_behind()
            return
        self.unacked += 1
        # Broadcasts from older senders carry no summary; the full item is a valid frame too.
        text = item.get("summary") if self.summary else None
        await self.send(text_data='{"type":"event","event":' + (text or item["json"]) + "}")

    def log_behind(self) -> None:
        now = time.monotonic()
        if now - self.last_behind_log >= BEHIND_LOG_INTERVAL:
            self.last_behind_log = now
            logger.warning(
                "Debugger client %s is behind: %d events skipped so far (window %d frames, reason %s)",
                self.channel_name, self.skips.total, self.window, self.skip_reason,
            )

    async def send_skipped_notice(self) -> None:
        """Send the pending skipped notice now, or schedule it when one was sent less than a second ago."""
        if not self.skips.count:
            return
        delay = self.skips.seconds_until_due()
        if delay > 0:
            if self.notice_task is None or self.notice_task.done():
                self.notice_task = asyncio.create_task(self.send_skipped_notice_later(delay))
            return
        skipped = self.skips.take()
        reason, self.skip_reason = self.skip_reason, "slow_client"
        if skipped is not None:
            await self.send_json(self.skipped_frame(skipped, reason))

    async def send_skipped_notice_later(self, delay: float) -> None:
        await asyncio.sleep(delay)
        await self.send_skipped_notice()

    def skipped_frame(self, skipped: SkippedRange, reason: str) -> dict[str, Any]:
        return {
            "type": "skipped",
            "count": skipped.count,
            "reason": reason,
            "reload": self.reload_url(skipped.after_id, skipped.before_id),
        }

    def reload_url(self, after_id: int | None, before_id: int | None) -> str:
        """Return the read API URL listing the skipped events, newest first, with this connection's filters."""
        query = self.filters.as_dict()
        if after_id is not None:
            query["after_id"] = str(after_id)
        if before_id is not None:
            query["before_id"] = str(before_id)
        return reverse("api-events") + ("?" + urlencode(query) if query else "")


def history_request(frame: dict[str, Any]) -> HistoryRequest:
    """Read a subscribe frame; raise FilterError or SubscribeError naming the bad key and value."""
    filters = StreamFilters.from_dict(frame.get("filters"))
    after_id = _optional_id(frame, "after_id")
    after_rejection_id = _optional_id(frame, "after_rejection_id")
    backfill = frame.get("backfill", trackside_settings.DEBUGGER_BACKFILL)
    if not _is_whole(backfill) or backfill < 0:
        raise SubscribeError(f"backfill must be a whole number of events from 0 to {MAX_HISTORY}, not {backfill!r}.")
    summary = frame.get("summary", False)
    if not isinstance(summary, bool):
        raise SubscribeError(f"summary must be true or false, not {summary!r}.")
    limit = MAX_HISTORY if after_id is not None else min(backfill, MAX_HISTORY)
    return HistoryRequest(filters, limit, after_id, after_rejection_id, summary)


def _optional_id(frame: dict[str, Any], key: str) -> int | None:
    value = frame.get(key)
    if value is None:
        return None
    if not _is_whole(value) or value < 0:
        raise SubscribeError(f"{key} must be an event id (a whole number) or null, not {value!r}.")
    return value


def _is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
