"""
Rules only known on receipt, through the ingest API: one request per code,
shaped like the rule's documented bad example.
"""
import pytest

from tracker.models import Event
from tracker.validation import RULES

RECEIPT_CASES = {
    "non_finite_number": (
        "/v1/track",
        '{"type": "track", "userId": "u_1", "event": "Flight Logged", "properties": {"ratio": NaN}}',
        {},
        "properties.ratio",
    ),
    "unstorable_text": (
        "/v1/identify",
        '{"type": "identify", "userId": "u_1", "traits": {"email": "a\\u0000b@example.com"}}',
        {},
        "traits.email",
    ),
    "type_mismatch": (
        "/v1/track",
        '{"type": "identify", "userId": "u_1", "event": "Signed Up"}',
        {},
        "type",
    ),
    "write_key_conflict": (
        "/v1/track",
        '{"type": "track", "userId": "u_1", "event": "Signed Up", "writeKey": "wk_other"}',
        {},
        "",
    ),
}
INGEST_CODES_TESTED = frozenset(RECEIPT_CASES) | {"message_id_reused"}


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(RECEIPT_CASES))
def test_receipt_rule_through_api(code, post, source, make_source):
    make_source("other", "wk_other")
    path, body, headers, problem_path = RECEIPT_CASES[code]
    response = post(path, body, **headers)

    assert response.status_code == 200
    event = Event.objects.get(source=source)
    found = [problem for problem in event.problems if problem["code"] == code]
    assert [problem["path"] for problem in found] == [problem_path]
    assert found[0]["severity"] == RULES[code].severity


@pytest.mark.django_db
def test_message_id_reused_through_api(post, source):
    first = {"type": "track", "userId": "u_1", "event": "Plan Downgraded", "messageId": "id-already-used"}
    second = {**first, "properties": {"plan": "free"}}
    post("/v1/track", first)
    post("/v1/track", second)

    events = list(Event.objects.filter(source=source).order_by("id"))
    assert len(events) == 2
    assert [problem["code"] for problem in events[0].problems] == []
    assert [problem["code"] for problem in events[1].problems] == ["message_id_reused"]


@pytest.mark.django_db
def test_error_problems_in_response_body(post, source):
    response = post("/v1/track", {"type": "track", "userId": "u_1", "event": "Order Completed",
                                  "properties": {"order_id": "o_1", "revenue": "25.50"}})

    body = response.json()
    assert body["success"] is True
    assert [(problem["code"], problem["suggestion"]) for problem in body["problems"]] == [("amount_not_number", 25.5)]
