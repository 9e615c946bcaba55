"""Re-running the validation rules over stored events after the rules change."""
from collections.abc import Callable

from django.db.models import QuerySet

from tracker.models import Event
from tracker.validation import Problem, ingest_stage_codes, validate, worst_severity

CHUNK = 500


def revalidate(events: QuerySet, progress: Callable[[int], None] | None = None) -> int:
    """Recompute the problems of ``events``, keeping those only known on receipt; return how many changed."""
    kept_codes = ingest_stage_codes()
    changed = 0
    done = 0
    for event in events.order_by("id").iterator(chunk_size=CHUNK):
        kept = [Problem.from_dict(problem) for problem in event.problems if problem["code"] in kept_codes]
        problems = kept + validate(event.payload)
        as_dicts = [problem.as_dict() for problem in problems]
        if as_dicts != event.problems:
            Event.objects.filter(pk=event.pk).update(
                problems=as_dicts, problem_count=len(problems), worst_severity=worst_severity(problems)
            )
            changed += 1
        done += 1
        if progress is not None:
            progress(done)
    return changed
