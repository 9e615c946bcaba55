"""
The entry point: which rule sets run for which message type.

Track gets the deepest checks; every type gets the common-field checks.
"""
from collections.abc import Callable

from . import calls, common, reserved
from .problems import Problem

Check = Callable[[dict, list[Problem]], None]

COMMON_CHECKS: list[Check] = [
    common.check_ids,
    common.check_message_id,
    common.check_timestamps,
    common.check_context,
    common.check_integrations,
    common.check_big_integers,
]
CHECKS_BY_TYPE: dict[str, list[Check]] = {
    "track": [calls.check_event, calls.check_properties, reserved.check_reserved_properties],
    "identify": [calls.check_traits],
    "group": [calls.check_group_id, calls.check_traits],
    "page": [calls.check_name, calls.check_properties, reserved.check_reserved_properties],
    "screen": [calls.check_name, calls.check_properties, reserved.check_reserved_properties],
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
