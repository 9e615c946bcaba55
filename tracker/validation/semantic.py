"""
Rules for Segment's semantic events: v1 names, and the type and presence of
the properties each event documents.

Source: Segment's semantic event specs (e-commerce v2, video, mobile, B2B
SaaS, email, live chat, A/B testing, AI Copilot), as listed in
``data/semantic_events.json``. revenue, value and currency are left to the
reserved-property rules, so one value gets one verdict.
"""
from typing import Any

from .catalog import FieldSpec, Match, ObjectSpec, SemanticEvent, lookup
from .paths import Path, format_path
from .problems import NO_SUGGESTION, Problem
from .rules import register
from .timestamps import parse_timestamp
from .values import describe, is_number, number_from_string

CONCERN = "semantic"
# Checked by the reserved-property rules instead.
LEFT_TO_RESERVED = frozenset({"revenue", "value", "currency"})
# Past this many item problems in one array, the rest are summed up in one problem.
MAX_ITEM_PROBLEMS = 10

semantic_v1_alias = register(
    code="semantic_v1_alias",
    severity="info",
    concern=CONCERN,
    title="Semantic event under its v1 name",
    explanation=(
        "Segment renamed its e-commerce events in v2 to Object + Action order: Completed Order became Order "
        "Completed. Destinations still map the v1 names, but the spec, tracking plans and new destinations use "
        "the v2 names."
    ),
    fix="Send the v2 name the message suggests.",
    bad={"type": "track", "userId": "u_1", "event": "Completed Order", "properties": {"order_id": "o_1"}},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"order_id": "o_1"}},
    reference="E-commerce spec v2 (segment.com/docs/connections/spec/ecommerce/v2/)",
)
semantic_property_type = register(
    code="semantic_property_type",
    severity="warning",
    concern=CONCERN,
    title="Semantic event property has the wrong type",
    explanation=(
        "Segment's semantic events document a type for each property (price and quantity are numbers, "
        "order_id a string, ad_type one of pre-roll, mid-roll and post-roll). Destinations map these properties "
        "by name and expect those types, so a price sent as a string may be dropped or counted as zero."
    ),
    fix="Send the property with the type the semantic event's spec gives it.",
    bad={"type": "track", "userId": "u_1", "event": "Product Added",
         "properties": {"product_id": "p_7", "price": "19.99", "quantity": 1}},
    good={"type": "track", "userId": "u_1", "event": "Product Added",
          "properties": {"product_id": "p_7", "price": 19.99, "quantity": 1}},
    reference="Segment semantic event specs",
)
semantic_property_missing = register(
    code="semantic_property_missing",
    severity="warning",
    concern=CONCERN,
    title="Semantic event lacks a property it needs",
    explanation=(
        "Some properties identify what a semantic event is about: the order_id of Order Completed, the "
        "product_id or sku of each product, the conversationId of AI Copilot events. Without them destinations "
        "cannot join the event to the order, product or conversation. Segment's tables mark no property as "
        "required; Trackside expects these identifiers."
    ),
    fix="Add the property the message names.",
    bad={"type": "track", "userId": "u_1", "event": "Order Completed",
         "properties": {"revenue": 19.99, "currency": "USD", "products": [{"name": "Trail Shoe", "price": 19.99}]}},
    good={"type": "track", "userId": "u_1", "event": "Order Completed",
          "properties": {"order_id": "o_1", "revenue": 19.99, "currency": "USD",
                         "products": [{"product_id": "p_7", "name": "Trail Shoe", "price": 19.99}]}},
    reference="Segment semantic event specs",
)


def semantic_match(message: dict) -> Match | None:
    """Return the semantic event a track message's name stands for, if any."""
    event = message.get("event")
    if not isinstance(event, str) or not event:
        return None
    return lookup(event)


def check_semantic_event(message: dict, out: list[Problem], match: Match | None = None) -> None:
    """Check a track message against the semantic event its name stands for."""
    match = match if match is not None else semantic_match(message)
    if match is None:
        return
    event = match.event
    if match.kind == "alias":
        out.append(semantic_v1_alias.problem(
            "event",
            f'event "{message["event"]}" is the v1 name of the semantic event "{event.name}". Send "{event.name}".',
            event.name,
        ))
    properties = message.get("properties")
    if properties is None or isinstance(properties, dict):
        _check_object(event, properties or {}, event.properties, ("properties",), out, LEFT_TO_RESERVED)
    context = message.get("context")
    if (context is None or isinstance(context, dict)) and (event.context.fields or event.context.expected):
        _check_object(event, context or {}, event.context, ("context",), out, frozenset())


def _check_object(
    event: SemanticEvent, value: dict, spec: ObjectSpec, path: Path, out: list[Problem], skip: frozenset[str]
) -> None:
    for group in spec.expected:
        if not any(value.get(name) is not None for name in group):
            _report_missing(event, group, path, out)
    for name, field_spec in spec.fields.items():
        if name in skip or value.get(name) is None:
            continue
        _check_value(event, name, value[name], field_spec, path + (name,), out)


def _report_missing(event: SemanticEvent, group: tuple[str, ...], path: Path, out: list[Problem]) -> None:
    where = format_path(path)
    missing = " or ".join(group)
    out.append(semantic_property_missing.problem(
        where, f"{where} has no {missing}, which {event.name} needs to identify what it is about. Add {missing}.",
    ))


def _check_value(event: SemanticEvent, name: str, value: Any, spec: FieldSpec, path: Path, out: list[Problem]) -> None:
    if not any(_has_type(value, kind) for kind in spec.types):
        _report_type(event, name, value, spec, path, out)
        return
    if spec.values and value not in spec.values:
        _report_value(event, name, value, spec, path, out)
    elif spec.fields is not None and isinstance(value, dict):
        _check_object(event, value, spec.fields, path, out, frozenset())
    elif spec.items is not None and isinstance(value, list):
        _check_items(event, name, value, spec.items, path, out)


def _check_items(event: SemanticEvent, name: str, items: list, spec: FieldSpec, path: Path, out: list[Problem]) -> None:
    found: list[Problem] = []
    for index, item in enumerate(items):
        if item is not None:
            _check_value(event, f"each item of {name}", item, spec, path + (index,), found)
    out.extend(found[:MAX_ITEM_PROBLEMS])
    if len(found) > MAX_ITEM_PROBLEMS:
        first_unlisted = found[MAX_ITEM_PROBLEMS]
        where = format_path(path)
        out.append(Problem(
            first_unlisted.code,
            first_unlisted.severity,
            where,
            f"{len(found) - MAX_ITEM_PROBLEMS} more problems in the items of {where} are not listed one by one.",
        ))


def _has_type(value: Any, kind: str) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind == "number":
        return is_number(value)
    if kind == "integer":
        return is_number(value) and (isinstance(value, int) or value.is_integer())
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    return parse_timestamp(value) is not None


def _report_type(event: SemanticEvent, name: str, value: Any, spec: FieldSpec, path: Path, out: list[Problem]) -> None:
    where = format_path(path)
    text = f"{where} is {describe(value)}; {event.name} documents {name} as {spec.describe()}."
    suggestion = _suggest(value, spec)
    if suggestion is NO_SUGGESTION:
        out.append(semantic_property_type.problem(where, text + " " + semantic_property_type.fix))
    else:
        out.append(semantic_property_type.problem(where, text + f" Send {_literal(suggestion)}.", suggestion))


def _report_value(event: SemanticEvent, name: str, value: Any, spec: FieldSpec, path: Path, out: list[Problem]) -> None:
    where = format_path(path)
    text = f"{where} is {describe(value)}; {event.name} documents {name} as {spec.describe()}."
    matches = [allowed for allowed in spec.values if isinstance(value, str) and str(allowed).lower() == value.lower()]
    if len(matches) == 1:
        out.append(semantic_property_type.problem(where, text + f" Send {_literal(matches[0])}.", matches[0]))
    else:
        out.append(semantic_property_type.problem(where, text))


def _suggest(value: Any, spec: FieldSpec) -> Any:
    """Return the one value of the documented type that ``value`` plainly spells, or NO_SUGGESTION."""
    if len(spec.types) != 1:
        return NO_SUGGESTION
    kind = spec.types[0]
    if kind in ("number", "integer") and isinstance(value, str):
        number = number_from_string(value.strip())
        if number is not None and (kind == "number" or isinstance(number, int)):
            return number
    if kind == "string" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if kind == "boolean" and isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return NO_SUGGESTION


def _literal(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)
