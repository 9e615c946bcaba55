"""Table tests of the common-field rules: type, ids, messageId, timestamps, context, integrations."""
import pytest

from tracker.validation import NO_SUGGESTION, validate

BASE = {
    "type": "track",
    "userId": "u_1",
    "event": "Report Exported",
    "messageId": "9722d30a-7ec9-4a71-b781-9993b47468b4",
    "originalTimestamp": "2024-03-05T10:00:00.000Z",
    "timestamp": "2024-03-05T10:00:00.000Z",
    "receivedAt": "2024-03-05T10:00:01.000Z",
    "sentAt": "2024-03-05T10:00:00.500Z",
}


def found(message: dict) -> list[tuple]:
    """Return (code, path, suggestion) of each problem; the suggestion is None when there is none."""
    return [
        (p.code, p.path, None if p.suggestion is NO_SUGGESTION else p.suggestion) for p in validate(message)
    ]


def changed(**fields) -> dict:
    message = {**BASE, **fields}
    return {key: value for key, value in message.items() if value is not DROP}


DROP = object()

CASES = [
    ("clean", changed(), []),
    ("type missing", changed(type=DROP), [("type_missing", "type", None)]),
    ("type null", changed(type=None), [("type_missing", "type", None)]),
    ("type capitalised", changed(type="Track"), [("type_unknown", "type", "track")]),
    ("type unknown", changed(type="purchase"), [("type_unknown", "type", None)]),
    ("type number", changed(type=3), [("type_unknown", "type", None)]),
    ("no ids", changed(userId=DROP), [("id_missing", "", None)]),
    ("both ids null", changed(userId=None, anonymousId=None), [("id_missing", "", None)]),
    ("userId number", changed(userId=42), [("id_not_string", "userId", "42")]),
    ("userId float", changed(userId=4.2), [("id_not_string", "userId", None)]),
    ("userId boolean", changed(userId=True), [("id_not_string", "userId", None)]),
    ("userId object", changed(userId={"id": 1}), [("id_not_string", "userId", None)]),
    ("userId empty", changed(userId=""), [("id_empty", "userId", None)]),
    ("userId blank", changed(userId="   "), [("id_empty", "userId", None)]),
    ("anonymousId number", changed(userId=DROP, anonymousId=7), [("id_not_string", "anonymousId", "7")]),
    ("null beside valid id", changed(anonymousId=None), []),
    ("anonymousId only", changed(userId=DROP, anonymousId="a_1"), []),
    ("empty beside valid id", changed(anonymousId=""), [("id_empty", "anonymousId", None)]),
    ("messageId number", changed(messageId=12345), [("message_id_invalid", "messageId", None)]),
    ("messageId empty", changed(messageId=""), [("message_id_invalid", "messageId", None)]),
    ("messageId 100 chars", changed(messageId="m" * 100), []),
    ("messageId 101 chars", changed(messageId="m" * 101), [("message_id_invalid", "messageId", None)]),
    ("original epoch", changed(originalTimestamp=1709632800),
     [("timestamp_invalid", "originalTimestamp", None)]),
    ("original text", changed(originalTimestamp="yesterday"), [("timestamp_invalid", "originalTimestamp", None)]),
    ("original no zone", changed(originalTimestamp="2024-03-05T10:00:00"),
     [("timestamp_no_timezone", "originalTimestamp", None)]),
    ("original offset", changed(originalTimestamp="2024-03-05T12:00:00+02:00"), []),
    ("sentAt invalid", changed(sentAt="2015-2-02T00:30:08.276Z"), [("timestamp_invalid", "sentAt", None)]),
    ("raw timestamp epoch", changed(timestamp=1709632800000, receivedAt=DROP),
     [("timestamp_invalid", "timestamp", None)]),
    ("timestamp future", changed(timestamp="2024-03-06T10:00:00.000Z"),
     [("timestamp_out_of_range", "timestamp", None)]),
    ("timestamp 4 minutes ahead", changed(timestamp="2024-03-05T10:04:00.000Z"), []),
    ("timestamp before 2000", changed(timestamp="1999-12-31T23:59:59.000Z"),
     [("timestamp_out_of_range", "timestamp", None)]),
    ("context string", changed(context="web"), [("context_not_object", "context", None)]),
    ("context null", changed(context=None), []),
    ("context ip number", changed(context={"ip": 127001}), [("context_field_type", "context.ip", None)]),
    ("context locale", changed(context={"locale": ["en"]}), [("context_field_type", "context.locale", None)]),
    ("context library version number", changed(context={"library": {"name": "x", "version": 2}}),
     [("context_field_type", "context.library.version", None)]),
    ("context page url", changed(context={"page": {"url": 5, "path": "/"}}),
     [("context_field_type", "context.page.url", None)]),
    ("context device boolean", changed(context={"device": {"adTrackingEnabled": "yes"}}),
     [("context_field_type", "context.device.adTrackingEnabled", None)]),
    ("context campaign", changed(context={"campaign": {"source": 1}}),
     [("context_field_type", "context.campaign.source", None)]),
    ("context screen", changed(context={"screen": {"width": "1024"}}),
     [("context_field_type", "context.screen.width", None)]),
    ("context app build integer", changed(context={"app": {"build": 412}}), []),
    ("context traits list", changed(context={"traits": []}), [("context_field_type", "context.traits", None)]),
    ("context groupId number", changed(context={"groupId": 9}), [("context_field_type", "context.groupId", None)]),
    ("context timezone", changed(context={"timezone": "Europe/Paris", "active": True}), []),
    ("context active string", changed(context={"active": "true"}), [("context_field_type", "context.active", None)]),
    ("context custom key", changed(context={"experiment": 3}), []),
    ("integrations list", changed(integrations=["Mixpanel"]), [("integrations_invalid", "integrations", None)]),
    ("integrations string value", changed(integrations={"Mixpanel": "no"}),
     [("integrations_invalid", "integrations.Mixpanel", None)]),
    ("integrations dotted name", changed(integrations={"Google Analytics 4.0": 1}),
     [("integrations_invalid", 'integrations["Google Analytics 4.0"]', None)]),
    ("integrations options", changed(integrations={"All": True, "Amplitude": {"session_id": 1}}), []),
    ("integer beyond 2^53", changed(properties={"id": 2**53 + 1}),
     [("integer_beyond_javascript", "properties.id", None)]),
    ("negative integer beyond 2^53", changed(context={"traits": {"n": -(2**60)}}),
     [("integer_beyond_javascript", "context.traits.n", None)]),
    ("integer 2^53", changed(properties={"id": 2**53}), []),
    ("long digits in a string", changed(properties={"id": "9007199254740993"}), []),
    ("integer beyond 64 bits in a list", changed(properties={"ids": [1, 10**30]}),
     [("integer_beyond_javascript", "properties.ids[1]", None)]),
]


@pytest.mark.parametrize(("payload", "expected"), [pytest.param(m, e, id=name) for name, m, e in CASES])
def test_common_rules(payload, expected):
    assert found(payload) == expected


def test_values_not_rewritten():
    message = changed(userId=42, context={"ip": 127001})
    before = repr(message)
    validate(message)
    assert repr(message) == before
