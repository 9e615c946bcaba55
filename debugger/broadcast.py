"""
Broadcasting stored events to live debugger clients, once per commit.

One group message carries every event and rejection of a commit. Each item
keeps its filter fields beside its JSON text, so consumers filter without
decoding payloads and send the text as it is. ``origin`` and ``sent`` let a
consumer count events lost when the channel layer dropped a whole message
(its per-channel capacity was full). An event item looks like::

    {"kind": "event", "id": 42, "source": "web", "type": "track", "name": "Order Completed",
     "user_id": "u_1", "anonymous_id": "", "severity": 3,
     "json": "{...the read API item...}", "summary": "{...the item without payload and problems...}",
     "payload_span": [start, end]}

``json[start:end]`` is the payload's JSON text, which the ``q`` filter searches.
"""
import logging
import os
import threading
import uuid
from collections import Counter

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from tracker.api.items import dumps, event_summary_item, rejection_item
from tracker.models import Event

from .groups import stream_group

logger = logging.getLogger(__name__)

# Identifies this process's broadcasts; consumers track gaps per origin.
ORIGIN = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
_lock = threading.Lock()
_sequence = 0
_sent_items = 0


def stream_message(batches) -> dict | None:
    """Build the group message for the events and rejections stored by ``batches``."""
    global _sequence, _sent_items
    items = []
    for batch in batches:
        name = batch.source.name
        for event in batch.stored.values():
            items.append(event_entry(event, name))
        for rejection in batch.stored_rejections:
            items.append({
                "kind": "rejection",
                "id": rejection.pk,
                "source": name,
                "json": dumps(rejection_item(rejection, name)),
            })
        for original_id, count in Counter(batch.duplicates.values()).items():
            items.append({"kind": "duplicate", "id": original_id, "source": name, "count": count})
    if not items:
        return None
    with _lock:
        _sequence += 1
        _sent_items += len(items)
        return {
            "type": "stream.items",
            "origin": ORIGIN,
            "seq": _sequence,
            "sent": _sent_items,
            "items": items,
        }


def event_entry(event: Event, source_name: str) -> dict:
    """Build one event item of a group message (see the module docstring)."""
    summary = dumps(event_summary_item(event, source_name))
    payload = dumps(event.payload)
    head = summary[:-1] + ',"payload":'
    return {
        "kind": "event",
        "id": event.pk,
        "source": source_name,
        "type": event.type,
        "name": event.event_name,
        "user_id": event.user_id,
        "anonymous_id": event.anonymous_id,
        "severity": event.worst_severity,
        "json": head + payload + ',"problems":' + dumps(event.problems) + "}",
        "summary": summary,
        "payload_span": [len(head), len(head) + len(payload)],
    }


def publish_batches(batches) -> None:
    """Send one group message for the stored ``batches``; call after their commit."""
    message = stream_message(batches)
    if message is None:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(stream_group(), message)
    except Exception:
        # The events are stored; a failed broadcast only costs the live view.
        logger.exception("Broadcast of %d items to the debugger failed", len(message["items"]))


async def publish_batches_async(batches) -> None:
    """Send one group message for the committed ``batches``, from the event loop."""
    message = stream_message(batches)
    if message is None:
        return
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        await layer.group_send(stream_group(), message)
    except Exception:
        logger.exception("Broadcast of %d items to the debugger failed", len(message["items"]))
