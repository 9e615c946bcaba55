"""
Rules for Segment's reserved properties: revenue, value and currency, and the
common fields that do not belong inside properties.

Source: the Track spec's "Properties" table. It says currency is in "ISO 4127
format" but links to ISO 4217, the real currency standard; the codes come from
the pycountry package's copy of ISO 4217.
"""
from functools import cache

from .paths import format_path
from .problems import Problem
from .rules import register
from .values import describe, is_number, number_from_string

CONCERN = "reserved"
AMOUNT_PROPERTIES = ("revenue", "value", "price", "total")
RESERVED_FIELDS = ("userId", "anonymousId", "messageId", "timestamp")

amount_not_number = register(
    code="amount_not_number",
    severity="error",
    concern=CONCERN,
    title="revenue or value is not a number",
    explanation=(
        "revenue and value are reserved properties that destinations convert to money (Mixpanel's track_charges, "
        "Google Analytics revenue ...). They must be JSON numbers such as 19.99; strings are dropped or misread."
    ),
    fix="Send the amount as a number, without currency symbols or digit grouping.",
    bad={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"revenue": "$1,249.00"}},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"revenue": 1249.0, "currency": "USD"}},
    reference="Track spec, reserved properties",
)
currency_invalid = register(
    code="currency_invalid",
    severity="error",
    concern=CONCERN,
    title="currency is not an ISO 4217 code",
    explanation="currency must be a three-letter ISO 4217 code in capitals, such as USD or EUR; destinations compare codes exactly.",
    fix='Send the ISO 4217 code, such as "USD".',
    bad={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"revenue": 49.0, "currency": "usd"}},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"revenue": 49.0, "currency": "USD"}},
    reference="Track spec, reserved properties (ISO 4217)",
)
revenue_without_currency = register(
    code="revenue_without_currency",
    severity="info",
    concern=CONCERN,
    title="revenue without a currency",
    explanation="Without a currency property, Segment and its destinations assume US dollars.",
    fix='Add "currency" when the amount is not in US dollars.',
    bad={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"revenue": 49.0}},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"revenue": 49.0, "currency": "EUR"}},
    reference="Track spec, reserved properties",
)
currency_without_amount = register(
    code="currency_without_amount",
    severity="warning",
    concern=CONCERN,
    title="currency without an amount",
    explanation="currency says which money revenue, value, price or total are in; on its own it has nothing to qualify, which usually means the amount was sent under another name.",
    fix="Send the amount as revenue, value, price or total next to currency, or drop currency.",
    bad={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"amount": 49.0, "currency": "EUR"}},
    good={"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"revenue": 49.0, "currency": "EUR"}},
)
reserved_field_in_properties = register(
    code="reserved_field_in_properties",
    severity="warning",
    concern=CONCERN,
    title="Common field sent as a property",
    explanation="userId, anonymousId, messageId and timestamp are top-level fields of the message. Inside properties they are just data: they identify nobody, deduplicate nothing and set no time.",
    fix="Move the field to the top level of the message.",
    bad={"type": "track", "event": "Order Completed", "anonymousId": "a_1", "properties": {"userId": "u_1"}},
    good={"type": "track", "event": "Order Completed", "userId": "u_1", "properties": {}},
)


@cache
def currency_codes() -> frozenset[str]:
    """Return the ISO 4217 alphabetic codes, from pycountry's copy of the standard."""
    import pycountry

    return frozenset(currency.alpha_3 for currency in pycountry.currencies)


@cache
def currency_numeric_codes() -> dict[int, str]:
    """Return the ISO 4217 numeric codes (840 for USD) with their alphabetic codes."""
    import pycountry

    return {int(currency.numeric): currency.alpha_3 for currency in pycountry.currencies}


def check_reserved_properties(message: dict, out: list[Problem], exempt: frozenset[str] = frozenset()) -> None:
    properties = message.get("properties")
    if not isinstance(properties, dict) or not properties:
        return
    for name in ("revenue", "value"):
        if name in properties and properties[name] is not None and not is_number(properties[name]):
            _report_amount(name, properties[name], out)
    if "currency" in properties and properties["currency"] is not None:
        _check_currency(properties["currency"], out)
        if not any(properties.get(name) is not None for name in AMOUNT_PROPERTIES):
            out.append(currency_without_amount.problem(
                "properties.currency",
                "currency is set but none of revenue, value, price or total is. " + currency_without_amount.fix,
            ))
    elif is_number(properties.get("revenue")):
        out.append(revenue_without_currency.problem(
            "properties.revenue", "revenue has no currency next to it, so US dollars are assumed. " + revenue_without_currency.fix,
        ))
    for name in RESERVED_FIELDS:
        if name in properties and name not in exempt:
            out.append(reserved_field_in_properties.problem(
                format_path(("properties", name)),
                f"properties.{name} is a top-level field of the message, not a property. Move {name} to the top level.",
            ))


def _report_amount(name: str, value: object, out: list[Problem]) -> None:
    path = f"properties.{name}"
    text = f"{path} is {describe(value)}; {name} must be a number."
    number = number_from_string(value.strip()) if isinstance(value, str) else None
    if number is not None:
        out.append(amount_not_number.problem(path, text + f" Send {number!r} instead.", number))
    else:
        out.append(amount_not_number.problem(path, text + " " + amount_not_number.fix))


def _check_currency(value: object, out: list[Problem]) -> None:
    path = "properties.currency"
    if isinstance(value, str) and value in currency_codes():
        return
    text = f"currency is {describe(value)}, which is not an ISO 4217 code."
    code = _currency_meant(value)
    if code is not None:
        out.append(currency_invalid.problem(path, text + f" Send \"{code}\".", code))
    else:
        out.append(currency_invalid.problem(path, text + " " + currency_invalid.fix))


def _currency_meant(value: object) -> str | None:
    """Return the one ISO 4217 code ``value`` plainly means: "usd" or the numeric code 840 mean "USD"."""
    if isinstance(value, str) and value.strip().upper() in currency_codes():
        return value.strip().upper()
    if isinstance(value, int) and not isinstance(value, bool):
        return currency_numeric_codes().get(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) == 3:
        return currency_numeric_codes().get(int(value.strip()))
    return None
