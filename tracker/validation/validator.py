"""
The entry point: which rule sets run for which message type.

Track gets the deepest checks; every type gets the common-field checks.
"""
from collections.abc import Callable

from . import calls, common, naming, reserved, semantic, size
from .problems import Problem

Check = Callable[[dict, list[Problem]], None]


def check_track_call(message: dict, out: list[Problem]) -> None:
    """Run the track rules; the semantic event the name stands for decides which properties are exempt."""
    calls.check_event(message, out)
    calls.check_properties(message, out)
    match = semantic.semantic_match(message)
    documented = match.event.documented if match is not None else frozenset()
    reserved.check_reserved_properties(message, out, exempt=documented)
    naming.check_event_name(message, out, match)
    naming.check_property_names(message, out, exempt=documented)
    semantic.check_semantic_event(message, out, match)


def check_encoded(message: dict, out: list[Problem]) -> None:
    """Run the rules that read the whole message, using one JSON encoding of it for both.

    The encoding gives the size, and shows in one C-speed search whether any
    integer is long enough to be beyond 2^53, so the walk over every value is
    skipped for almost all messages.
    """
    encoded = size.encode(message)
    if common.may_hold_big_integers(encoded):
        common.check_big_integers(message, out)
    size.report_size(len(encoded), out)


COMMON_CHECKS: list[Check] = [
    common.check_ids,
    common.check_message_id,
    common.check_timestamps,
    common.check_context,
    common.check_integrations,
    size.check_width,
    check_encoded,
]
CHECKS_BY_TYPE: dict[str, list[Check]] = {
    "track": [check_track_call],
    "identify": [calls.check_traits],
    "group": [calls.check_group_id, calls.check_traits],
    "page": [calls.check_name, calls.check_properties, reserved.check_reserved_properties, naming.check_property_names],
    "screen": [calls.check_name, calls.check_properties, reserved.check_reserved_properties, naming.check_property_names],
    "alias": [calls.check_previous_id],
}


def validate(message: dict) -> list[Problem]:
    """Return every problem the rules find in one (enriched) message."""
    problems: list[Problem] = []
    common.check_type(message, problems)
    kind = message.get("type")
    # A type that is not a string (a list, say) is reported by check_type and gets no type checks.
    for check in CHECKS_BY_TYPE.get(kind, ()) if isinstance(kind, str) else ():
        check(message, problems)
    for check in COMMON_CHECKS:
        check(message, problems)
    return problems
