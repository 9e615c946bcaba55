"""
Rules for the fields of each call: track's event and properties, identify and
group traits, page and screen names, group's groupId and alias's previousId.

Sources: Segment's Track, Identify, Page, Screen, Group and Alias specs and the
"Failed on ingest" discard codes (event_not_defined, event_not_string,
properties_not_object, traits_not_object, name_not_string, category_not_string).
"""
from .problems import Problem
from .rules import register
from .values import describe

# No Segment limit is documented; names this long are data, not names.
MAX_EVENT_NAME_LENGTH = 200
CONCERN = "calls"

event_missing = register(
    code="event_missing",
    severity="error",
    concern=CONCERN,
    title="Track call without an event name",
    explanation="event names the action the user took and is the only required field of a track call. Segment answers 200 and drops a track call without it (event_not_defined).",
    fix='Add "event" with a name such as "Order Completed".',
    bad={"type": "track", "userId": "u_1", "properties": {"plan": "pro"}},
    good={"type": "track", "userId": "u_1", "event": "Plan Upgraded", "properties": {"plan": "pro"}},
    reference="Track spec; discard code event_not_defined",
)
event_not_string = register(
    code="event_not_string",
    severity="error",
    concern=CONCERN,
    title="Event name is not a string",
    explanation="event must be a string; Segment drops track calls whose event is a number, object or array (event_not_string).",
    fix="Send the event name as a string.",
    bad={"type": "track", "userId": "u_1", "event": {"name": "Signed Up"}},
    good={"type": "track", "userId": "u_1", "event": "Signed Up"},
    reference="Track spec; discard code event_not_string",
)
event_empty = register(
    code="event_empty",
    severity="error",
    concern=CONCERN,
    title="Event name is empty",
    explanation="An empty or blank event name says nothing about what happened, and Segment treats it as missing.",
    fix="Send a descriptive name in Object + Action form, such as \"Report Exported\".",
    bad={"type": "track", "userId": "u_1", "event": "   "},
    good={"type": "track", "userId": "u_1", "event": "Report Exported"},
)
event_too_long = register(
    code="event_too_long",
    severity="warning",
    concern=CONCERN,
    title="Event name is too long",
    explanation=f"Event names over {MAX_EVENT_NAME_LENGTH} characters are almost always data pasted into the name; many destinations cap names at 40 to 255 characters.",
    fix="Keep the name short and move the varying part into properties.",
    bad={"type": "track", "userId": "u_1", "event": "Viewed " + "x" * 200},
    good={"type": "track", "userId": "u_1", "event": "Page Viewed", "properties": {"detail": "x" * 200}},
)
properties_not_object = register(
    code="properties_not_object",
    severity="error",
    concern=CONCERN,
    title="properties is not an object",
    explanation="properties must be a JSON object of names to values; Segment drops calls whose properties are a string, number or array (properties_not_object).",
    fix='Send properties as an object, such as {"plan": "pro"}.',
    bad={"type": "track", "userId": "u_1", "event": "Filter Applied", "properties": "plan=pro"},
    good={"type": "track", "userId": "u_1", "event": "Filter Applied", "properties": {"plan": "pro"}},
    reference="Track spec; discard code properties_not_object",
)
properties_null = register(
    code="properties_null",
    severity="warning",
    concern=CONCERN,
    title="properties is null",
    explanation="Some SDKs send properties: null when none were given. Destinations that expect an object may fail on it.",
    fix="Send {} or leave properties out when there are none.",
    bad={"type": "track", "userId": "u_1", "event": "Filter Applied", "properties": None},
    good={"type": "track", "userId": "u_1", "event": "Filter Applied", "properties": {}},
)
traits_not_object = register(
    code="traits_not_object",
    severity="error",
    concern=CONCERN,
    title="traits is not an object",
    explanation="Identify and group traits must be a JSON object; Segment drops other values (traits_not_object).",
    fix='Send traits as an object, such as {"email": "ada@example.com"}.',
    bad={"type": "identify", "userId": "u_1", "traits": 7},
    good={"type": "identify", "userId": "u_1", "traits": {"plan": "pro"}},
    reference="Identify and Group specs; discard code traits_not_object",
)
name_not_string = register(
    code="name_not_string",
    severity="error",
    concern=CONCERN,
    title="Page or screen name is not a string",
    explanation="The name of a page or screen call must be a non-empty string when present (name_not_string); so must category.",
    fix='Send name as a string, such as "Pricing".',
    bad={"type": "page", "anonymousId": "a_1", "name": 404},
    good={"type": "page", "anonymousId": "a_1", "name": "Not Found"},
    reference="Page and Screen specs; discard codes name_not_string, category_not_string",
)
group_id_missing = register(
    code="group_id_missing",
    severity="error",
    concern=CONCERN,
    title="Group call without a groupId",
    explanation="A group call ties the user to an account named by groupId; without a non-empty string groupId destinations drop it.",
    fix='Add "groupId" with the account id as a string.',
    bad={"type": "group", "userId": "u_1", "traits": {"name": "Acme"}},
    good={"type": "group", "userId": "u_1", "groupId": "grp_9", "traits": {"name": "Acme"}},
    reference="Group spec",
)
previous_id_missing = register(
    code="previous_id_missing",
    severity="error",
    concern=CONCERN,
    title="Alias call without a previousId",
    explanation="An alias call merges previousId into userId; without a string previousId there is nothing to merge.",
    fix='Add "previousId" with the old id (often the anonymousId) and "userId" with the new one.',
    bad={"type": "alias", "userId": "u_1"},
    good={"type": "alias", "userId": "u_1", "previousId": "anon-5e2c"},
    reference="Alias spec",
)


def check_event(message: dict, out: list[Problem]) -> None:
    if "event" not in message or message["event"] is None:
        out.append(event_missing.problem("event", "The track call has no event name. " + event_missing.fix))
        return
    event = message["event"]
    if not isinstance(event, str):
        text = f"event is {describe(event)}; it must be a string."
        if isinstance(event, dict) and isinstance(event.get("name"), str):
            out.append(event_not_string.problem("event", text + f' Send "{event["name"]}" as the event.', event["name"]))
        else:
            out.append(event_not_string.problem("event", text + " " + event_not_string.fix))
    elif not event.strip():
        out.append(event_empty.problem("event", f"event is {describe(event)}. " + event_empty.fix))
    elif len(event) > MAX_EVENT_NAME_LENGTH:
        out.append(event_too_long.problem(
            "event", f"event has {len(event)} characters, more than {MAX_EVENT_NAME_LENGTH}. " + event_too_long.fix,
        ))


def check_properties(message: dict, out: list[Problem]) -> None:
    if "properties" not in message:
        return
    properties = message["properties"]
    if properties is None:
        out.append(properties_null.problem("properties", "properties is null. " + properties_null.fix))
    elif not isinstance(properties, dict):
        out.append(properties_not_object.problem(
            "properties", f"properties is {describe(properties)}. " + properties_not_object.fix,
        ))


def check_traits(message: dict, out: list[Problem]) -> None:
    if "traits" not in message or message["traits"] is None:
        return
    traits = message["traits"]
    if not isinstance(traits, dict):
        out.append(traits_not_object.problem("traits", f"traits is {describe(traits)}. " + traits_not_object.fix))


def check_name(message: dict, out: list[Problem]) -> None:
    for field in ("name", "category"):
        if field not in message or message[field] is None:
            continue
        value = message[field]
        if not isinstance(value, str) or not value.strip():
            out.append(name_not_string.problem(
                field,
                f"{field} of a {message.get('type')} call is {describe(value)}; it must be a non-empty string when present.",
            ))


def check_group_id(message: dict, out: list[Problem]) -> None:
    value = message.get("groupId")
    if isinstance(value, str) and value.strip():
        return
    shown = "missing" if value is None else describe(value)
    suggestion = str(value) if isinstance(value, int) and not isinstance(value, bool) else None
    text = f"groupId is {shown}. " + group_id_missing.fix
    if suggestion is not None:
        out.append(group_id_missing.problem("groupId", text + f' Send "{suggestion}".', suggestion))
    else:
        out.append(group_id_missing.problem("groupId", text))


def check_previous_id(message: dict, out: list[Problem]) -> None:
    value = message.get("previousId")
    if isinstance(value, str) and value.strip():
        return
    shown = "missing" if value is None else describe(value)
    out.append(previous_id_missing.problem("previousId", f"previousId is {shown}. " + previous_id_missing.fix))
