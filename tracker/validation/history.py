"""
Rules across the events of one source: one event name in two spellings, and
one property sent with different types.

They need the source's history, so ``tracker.ingest.history`` counts names
and types in the database and calls the functions here to word the problems.
Revalidation keeps them as stored (stage "ingest").
"""
from .paths import format_path
from .problems import Problem
from .rules import register

CONCERN = "history"

event_name_spelling_variant = register(
    code="event_name_spelling_variant",
    severity="warning",
    concern=CONCERN,
    stage="ingest",
    title="Same event name in two spellings",
    explanation=(
        "This source sends the same event name in more than one spelling, differing in case, spaces, underscores "
        "or hyphens (Report Exported and report_exported). Reports and tracking plans count them as two events. "
        "The warning goes on events of the less common spelling and names the most common one."
    ),
    fix="Send every event of this kind with one spelling, the one the message suggests.",
    bad={"type": "track", "userId": "u_1", "event": "report_exported"},
    good={"type": "track", "userId": "u_1", "event": "Report Exported"},
    example_context='The source has already sent "Report Exported" more often than "report_exported".',
    reference="Protocols tracking plans match names exactly",
)
property_type_drift = register(
    code="property_type_drift",
    severity="warning",
    concern=CONCERN,
    stage="ingest",
    title="Property type differs from earlier events",
    explanation=(
        "Earlier events of the same name from this source sent this property with another JSON type, for example "
        "price as a number in most events and as a string in some. Warehouses type a column from the first values "
        "they see and then fail or drop the others. The warning goes on events whose type is not the most common "
        "one, with the mix seen so far; null values are not counted."
    ),
    fix="Send the property with one type in every event, the most common one.",
    bad={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"order_id": "o_2", "total": "27.50"}},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"order_id": "o_2", "total": 27.5}},
    example_context="The source's earlier Order Completed events sent total as a number.",
)


def spelling_problem(name: str, usual: str, usual_count: int, total: int) -> Problem:
    """Word the warning for an event sent as ``name`` when ``usual`` is the common spelling."""
    return event_name_spelling_variant.problem(
        "event",
        f'event "{name}" is also sent as "{usual}" ({usual_count} of {total} events with this name in any '
        f'spelling). Send "{usual}" every time.',
        usual,
    )


def type_drift_problem(event: str, key: str, sent: str, usual: str, mix: dict[str, int]) -> Problem:
    """Word the warning for property ``key`` sent as JSON type ``sent`` when ``usual`` is its common type.

    ``mix`` counts the events so far by the property's JSON type.
    """
    total = sum(mix.values())
    shares = ", ".join(
        f"{kind} in {_percent(count, total)}" for kind, count in sorted(mix.items(), key=lambda item: -item[1])
    )
    path = format_path(("properties", key))
    return property_type_drift.problem(
        path,
        f'{path} is {_article(sent)} {sent} here, but {event} events of this source mostly send it as '
        f"{_article(usual)} {usual}: {shares} of {total} events. Send it as {_article(usual)} {usual} every time.",
    )


def _percent(count: int, total: int) -> str:
    share = count * 100 / total
    return f"{share:.0f}%" if share >= 1 else "under 1%"


def _article(kind: str) -> str:
    return "an" if kind[0] in "aeiou" else "a"
