"""Table tests of the reserved-property rules: revenue, value, currency and common fields inside properties."""
import pytest

from tracker.validation import NO_SUGGESTION, validate


def found(properties, event: str = "Report Exported") -> list[tuple]:
    message = {"type": "track", "userId": "u_1", "event": event, "properties": properties}
    return [
        (p.code, p.path, None if p.suggestion is NO_SUGGESTION else p.suggestion) for p in validate(message)
    ]


CASES = [
    ("revenue and currency", {"revenue": 19.99, "currency": "USD"}, []),
    ("revenue integer", {"revenue": 20, "currency": "EUR"}, []),
    ("revenue numeric string", {"revenue": "25.50", "currency": "USD"},
     [("amount_not_number", "properties.revenue", 25.5)]),
    ("revenue integer string", {"revenue": " 25 ", "currency": "USD"},
     [("amount_not_number", "properties.revenue", 25)]),
    ("revenue whole decimal string", {"revenue": "42.00", "currency": "USD"},
     [("amount_not_number", "properties.revenue", 42)]),
    ("revenue with symbol and grouping", {"revenue": "$1,249.00", "currency": "USD"},
     [("amount_not_number", "properties.revenue", None)]),
    ("revenue decimal comma", {"revenue": "19,99", "currency": "EUR"},
     [("amount_not_number", "properties.revenue", None)]),
    ("revenue boolean", {"revenue": True, "currency": "USD"}, [("amount_not_number", "properties.revenue", None)]),
    ("revenue infinity string", {"revenue": "1e999", "currency": "USD"},
     [("amount_not_number", "properties.revenue", None)]),
    ("value numeric string", {"value": "3"}, [("amount_not_number", "properties.value", 3)]),
    ("value word", {"value": "high"}, [("amount_not_number", "properties.value", None)]),
    ("revenue null", {"revenue": None}, []),
    ("revenue without currency", {"revenue": 49.0}, [("revenue_without_currency", "properties.revenue", None)]),
    ("currency lower case", {"revenue": 49.0, "currency": "usd"}, [("currency_invalid", "properties.currency", "USD")]),
    ("currency padded", {"revenue": 49.0, "currency": " eur "}, [("currency_invalid", "properties.currency", "EUR")]),
    ("currency symbol", {"revenue": 49.0, "currency": "US$"}, [("currency_invalid", "properties.currency", None)]),
    ("currency word", {"revenue": 49.0, "currency": "EURO"}, [("currency_invalid", "properties.currency", None)]),
    ("currency numeric code", {"revenue": 49.0, "currency": 978}, [("currency_invalid", "properties.currency", "EUR")]),
    ("currency numeric string", {"revenue": 49.0, "currency": "840"},
     [("currency_invalid", "properties.currency", "USD")]),
    ("currency unknown number", {"revenue": 49.0, "currency": 1}, [("currency_invalid", "properties.currency", None)]),
    ("currency without amount", {"amount": 49.0, "currency": "EUR"},
     [("currency_without_amount", "properties.currency", None)]),
    ("currency with price", {"price": 49.0, "currency": "EUR"}, []),
    ("currency with total", {"total": 49.0, "currency": "EUR"}, []),
    ("currency with value", {"value": 1, "currency": "EUR"}, []),
    ("bad currency without amount", {"currency": "usd"},
     [("currency_invalid", "properties.currency", "USD"), ("currency_without_amount", "properties.currency", None)]),
    ("userId in properties", {"userId": "u_2"}, [("reserved_field_in_properties", "properties.userId", None)]),
    ("all reserved fields", {"anonymousId": "a", "messageId": "m", "timestamp": "t"}, [
        ("reserved_field_in_properties", "properties.anonymousId", None),
        ("reserved_field_in_properties", "properties.messageId", None),
        ("reserved_field_in_properties", "properties.timestamp", None),
    ]),
]


@pytest.mark.parametrize(("properties", "expected"), [pytest.param(p, e, id=name) for name, p, e in CASES])
def test_reserved_rules(properties, expected):
    assert found(properties) == expected


def test_semantic_property_exempt_from_reserved_field():
    """AI Copilot events document messageId as a property of their own."""
    assert found({"conversationId": "c_1", "messageId": "m_1"}, event="Message Sent") == []


def test_reserved_on_page_calls():
    message = {"type": "page", "anonymousId": "a_1", "name": "Pricing", "properties": {"revenue": "9.90"}}
    assert [(p.code, p.suggestion) for p in validate(message)] == [("amount_not_number", 9.9)]


def test_values_kept_as_sent():
    properties = {"revenue": "25.50", "currency": "usd"}
    found(properties)
    assert properties == {"revenue": "25.50", "currency": "usd"}


def test_whole_decimal_string_suggests_json_integer():
    message = {"type": "track", "userId": "u_1", "event": "Order Completed",
               "properties": {"revenue": "42.00", "currency": "USD"}}
    problem = next(p for p in validate(message) if p.code == "amount_not_number")
    assert type(problem.suggestion) is int
    assert "Send 42 instead." in problem.message
