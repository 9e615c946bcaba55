"""Table tests of the per-call rules: track's event and properties, traits, page and screen names, groupId, previousId."""
import pytest

from tracker.validation import NO_SUGGESTION, validate


def found(message: dict) -> list[tuple]:
    return [
        (p.code, p.path, None if p.suggestion is NO_SUGGESTION else p.suggestion) for p in validate(message)
    ]


def track(**fields) -> dict:
    return {"type": "track", "userId": "u_1", **fields}


CASES = [
    ("event missing", track(properties={}), [("event_missing", "event", None)]),
    ("event null", track(event=None), [("event_missing", "event", None)]),
    ("event number", track(event=42), [("event_not_string", "event", None)]),
    ("event array", track(event=["Signed Up"]), [("event_not_string", "event", None)]),
    ("event object with name", track(event={"name": "Report Exported"}),
     [("event_not_string", "event", "Report Exported")]),
    ("event empty", track(event=""), [("event_empty", "event", None)]),
    ("event blank", track(event="  \t"), [("event_empty", "event", None)]),
    ("event 201 chars", track(event="R" * 201), [("event_too_long", "event", None)]),
    ("properties string", track(event="Filter Applied", properties="plan=pro"),
     [("properties_not_object", "properties", None)]),
    ("properties array", track(event="Filter Applied", properties=[1]), [("properties_not_object", "properties", None)]),
    ("properties null", track(event="Filter Applied", properties=None), [("properties_null", "properties", None)]),
    ("properties empty", track(event="Filter Applied", properties={}), []),
    ("identify traits number", {"type": "identify", "userId": "u_1", "traits": 7},
     [("traits_not_object", "traits", None)]),
    ("identify traits object", {"type": "identify", "userId": "u_1", "traits": {"firstName": "Ada"}}, []),
    ("group traits list", {"type": "group", "userId": "u_1", "groupId": "g_1", "traits": ["Acme"]},
     [("traits_not_object", "traits", None)]),
    ("group id missing", {"type": "group", "userId": "u_1"}, [("group_id_missing", "groupId", None)]),
    ("group id number", {"type": "group", "userId": "u_1", "groupId": 9}, [("group_id_missing", "groupId", "9")]),
    ("group id blank", {"type": "group", "userId": "u_1", "groupId": " "}, [("group_id_missing", "groupId", None)]),
    ("page name number", {"type": "page", "anonymousId": "a_1", "name": 404}, [("name_not_string", "name", None)]),
    ("page name empty", {"type": "page", "anonymousId": "a_1", "name": ""}, [("name_not_string", "name", None)]),
    ("page category object", {"type": "page", "anonymousId": "a_1", "category": {}},
     [("name_not_string", "category", None)]),
    ("page without name", {"type": "page", "anonymousId": "a_1", "properties": {"path": "/pricing"}}, []),
    ("screen name list", {"type": "screen", "anonymousId": "a_1", "name": ["Home"]},
     [("name_not_string", "name", None)]),
    ("page properties string", {"type": "page", "anonymousId": "a_1", "properties": "x"},
     [("properties_not_object", "properties", None)]),
    ("alias without previousId", {"type": "alias", "userId": "u_1"}, [("previous_id_missing", "previousId", None)]),
    ("alias previousId number", {"type": "alias", "userId": "u_1", "previousId": 3},
     [("previous_id_missing", "previousId", None)]),
    ("alias complete", {"type": "alias", "userId": "u_1", "previousId": "anon-5e2c"}, []),
]


@pytest.mark.parametrize(("payload", "expected"), [pytest.param(m, e, id=name) for name, m, e in CASES])
def test_call_rules(payload, expected):
    assert found(payload) == expected


def test_event_of_exactly_200_characters():
    name = ("Report Exported " * 13)[:200]
    assert len(name) == 200
    assert "event_too_long" not in [problem.code for problem in validate(track(event=name))]
