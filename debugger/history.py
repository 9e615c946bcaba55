"""
Stored events and rejections a debugger connection sends when it subscribes.

Two modes, both returning frames oldest first:

- backfill: the newest ``limit`` matching events and rejections;
- catch-up (``after_id`` given): every matching event with a larger id and
  every rejection after ``after_rejection_id``, up to ``limit`` each. When
  more events than that were missed, the newest ``limit`` are sent and the
  older ones are described by a skipped range, to load from the read API.
"""
from dataclasses import dataclass, field

from tracker.api.items import dumps, event_item, event_summary_item, rejection_item
from tracker.models import Event, Rejection

from .filters import StreamFilters

# Columns a summary frame never reads; deferring them keeps backfill cheap.
PAYLOAD_COLUMNS = ("payload", "problems", "raw")


@dataclass
class History:
    frames: list[str] = field(default_factory=list)
    last_id: int | None = None
    last_rejection_id: int | None = None
    # Events older than the catch-up limit that were not sent, and the id
    # bounds (exclusive) that select them.
    missed: int = 0
    missed_after_id: int | None = None
    missed_before_id: int | None = None
    # What the frames carry, so live broadcasts of the same rows can be left out.
    event_ids: frozenset[int] = frozenset()
    rejection_ids: frozenset[int] = frozenset()


@dataclass(frozen=True)
class HistoryRequest:
    filters: StreamFilters
    limit: int
    after_id: int | None = None
    after_rejection_id: int | None = None
    summary: bool = False


def load_history(request: HistoryRequest) -> History:
    """Query the events and rejections ``request`` selects and render their frames."""
    history = History(last_id=request.after_id, last_rejection_id=request.after_rejection_id)
    events = _newest_events(request, history)
    rejections = _newest_rejections(request)
    entries = [(event.received_at, 0, event.pk, _event_frame(event, request.summary)) for event in events]
    entries += [(rejection.received_at, 1, rejection.pk, _rejection_frame(rejection)) for rejection in rejections]
    entries.sort(key=lambda entry: entry[:3])
    history.frames = [entry[3] for entry in entries]
    history.event_ids = frozenset(event.pk for event in events)
    history.rejection_ids = frozenset(rejection.pk for rejection in rejections)
    if events:
        history.last_id = max(history.last_id or 0, events[0].pk)
    if rejections:
        history.last_rejection_id = max(history.last_rejection_id or 0, rejections[0].pk)
    return history


def _newest_events(request: HistoryRequest, history: History) -> list[Event]:
    """Return the newest matching events, newest first; note in ``history`` what the limit left out."""
    events = request.filters.apply(Event.objects.select_related("source"))
    if request.summary:
        events = events.defer(*PAYLOAD_COLUMNS)
    if request.after_id is not None:
        events = events.filter(id__gt=request.after_id)
    rows = list(events.order_by("-id")[: request.limit])
    if request.after_id is not None and rows and len(rows) == request.limit:
        oldest_sent = rows[-1].pk
        history.missed = events.filter(id__lt=oldest_sent).count()
        if history.missed:
            history.missed_after_id = request.after_id
            history.missed_before_id = oldest_sent
    return rows


def _newest_rejections(request: HistoryRequest) -> list[Rejection]:
    rejections = request.filters.apply_rejections(Rejection.objects.select_related("source"))
    if request.after_rejection_id is not None:
        rejections = rejections.filter(id__gt=request.after_rejection_id)
    elif request.after_id is not None:
        # A catch-up without a rejection id must not resend the whole rejection backfill.
        return []
    return list(rejections.order_by("-id")[: request.limit])


def _event_frame(event: Event, summary: bool) -> str:
    item = event_summary_item(event) if summary else event_item(event)
    return '{"type":"event","backfill":true,"event":' + dumps(item) + "}"


def _rejection_frame(rejection: Rejection) -> str:
    return '{"type":"rejection","backfill":true,"rejection":' + dumps(rejection_item(rejection)) + "}"
