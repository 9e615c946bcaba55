"""
Re-running the validation rules over stored events after the rules change.

Problems of stage "ingest" (parse notes, the request, the source's history)
cannot be recomputed from the payload, so they are kept as stored. Every
other problem is recomputed. Events are read in chunks by id, and each chunk
is written back with one bulk update. So memory stays flat on large tables,
and no cursor stays open on the table being updated.
"""
import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models import QuerySet

from tracker.models import Event
from tracker.validation import Problem, ingest_stage_codes, validate, worst_severity

logger = logging.getLogger(__name__)

CHUNK = 500
UPDATED_FIELDS = ["problems", "problem_count", "worst_severity"]


def revalidate(events: QuerySet, progress: Callable[[int], None] | None = None) -> int:
    """Recompute the problems of ``events``; return how many events' problems changed.

    ``progress(done)`` is called after each chunk with the number of events
    processed so far.
    """
    kept_codes = ingest_stage_codes()
    rows = events.select_related(None).order_by("id").only("id", "payload", "problems")
    changed = 0
    done = 0
    last_id = 0
    while True:
        chunk = list(rows.filter(id__gt=last_id)[:CHUNK])
        if not chunk:
            break
        updated = [event for event in chunk if _recompute(event, kept_codes)]
        if updated:
            with transaction.atomic():
                Event.objects.bulk_update(updated, UPDATED_FIELDS)
        changed += len(updated)
        done += len(chunk)
        last_id = chunk[-1].pk
        if progress is not None:
            progress(done)
    logger.info("Revalidated %d events; the problems of %d changed", done, changed)
    return changed


def _recompute(event: Event, kept_codes: frozenset[str]) -> bool:
    """Set the event's new problems; return whether they differ from the stored ones, order aside."""
    kept = [Problem.from_dict(problem) for problem in event.problems if problem["code"] in kept_codes]
    problems = kept + validate(event.payload)
    as_dicts = [problem.as_dict() for problem in problems]
    if sorted(map(_sort_key, as_dicts)) == sorted(map(_sort_key, event.problems)):
        return False
    event.problems = as_dicts
    event.problem_count = len(problems)
    event.worst_severity = worst_severity(problems)
    return True


def _sort_key(problem: dict) -> tuple:
    return (problem["code"], problem["path"], problem["message"], problem["severity"], repr(problem.get("suggestion")))
