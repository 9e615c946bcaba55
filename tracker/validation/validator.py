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
    for check in CHECKS_BY_TYPE.get(message.get("type"), ()):  # type: ignore[arg-type]
        check(message, problems)
    for check in COMMON_CHECKS:
        check(message, problems)
    return problems
