"""Cross-event checks per source, through the ingest API: name spellings and property type drift."""
from datetime import datetime, timezone

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tracker.ingest import history, storage
from tracker.ingest.messages import PreparedEvent
from tracker.models import Event, EventNameSpelling, PropertyTypeCount
from tracker.validation import RULES

INGEST_CODES_TESTED = frozenset({"event_name_spelling_variant", "property_type_drift"})


def track(event: str, properties: dict | None = None, user: str = "u_1") -> dict:
    message = {"type": "track", "userId": user, "event": event}
    if properties is not None:
        message["properties"] = properties
    return message


def problems_of(code: str, source) -> list[tuple[str, list[dict]]]:
    """Return (event name, problems of ``code``) for each stored event of ``source``, oldest first."""
    events = Event.objects.filter(source=source).order_by("id")
    return [(event.event_name, [p for p in event.problems if p["code"] == code]) for event in events]


@pytest.mark.django_db
def test_spelling_variant_flags_less_common_spelling(post, source):
    post("/v1/batch", {"batch": [track("Report Exported")] * 3})
    post("/v1/track", track("report_exported"))

    stored = problems_of("event_name_spelling_variant", source)
    assert [len(found) for _, found in stored] == [0, 0, 0, 1]
    problem = stored[-1][1][0]
    assert problem["path"] == "event"
    assert problem["suggestion"] == "Report Exported"
    assert "(3 of 4 events" in problem["message"]


@pytest.mark.django_db
def test_spelling_variant_in_one_batch(post, source):
    post("/v1/batch", {"batch": [track("Report Exported"), track("reportExported"), track("Report Exported")]})

    stored = problems_of("event_name_spelling_variant", source)
    assert [len(found) for _, found in stored] == [0, 1, 0]


@pytest.mark.django_db
def test_spelling_first_seen_wins_a_tie(post, source):
    post("/v1/track", track("Report Exported"))
    post("/v1/track", track("report-exported"))

    stored = problems_of("event_name_spelling_variant", source)
    assert [len(found) for _, found in stored] == [0, 1]


@pytest.mark.django_db
def test_spelling_counts_per_source(post, source, make_source):
    make_source("other", "wk_other")
    post("/v1/track", track("Report Exported"), write_key="wk_other")
    post("/v1/track", track("report_exported"))

    assert problems_of("event_name_spelling_variant", source) == [("report_exported", [])]


@pytest.mark.django_db
def test_spelling_leaves_semantic_names_to_validator(post, source):
    post("/v1/track", track("Order Completed", {"order_id": "o_1"}))
    post("/v1/track", track("order_completed", {"order_id": "o_2"}))

    codes = [[p["code"] for p in event.problems] for event in Event.objects.filter(source=source).order_by("id")]
    assert codes == [[], ["event_name_semantic_variant"]]
    assert not EventNameSpelling.objects.exists()


@pytest.mark.django_db
def test_type_drift_with_mix(post, source):
    post("/v1/batch", {"batch": [track("Plan Upgraded", {"seats": 5})] * 4})
    post("/v1/track", track("Plan Upgraded", {"seats": "5"}))

    stored = problems_of("property_type_drift", source)
    assert [len(found) for _, found in stored] == [0, 0, 0, 0, 1]
    problem = stored[-1][1][0]
    assert problem["path"] == "properties.seats"
    assert problem["severity"] == RULES["property_type_drift"].severity
    assert "number in 80%, string in 20% of 5 events" in problem["message"]


@pytest.mark.django_db
def test_type_drift_ignores_null_and_other_names(post, source):
    post("/v1/track", track("Plan Upgraded", {"seats": 5}))
    post("/v1/track", track("Plan Upgraded", {"seats": None}))
    post("/v1/track", track("Plan Downgraded", {"seats": "5"}))

    assert all(not found for _, found in problems_of("property_type_drift", source))


@pytest.mark.django_db
def test_type_drift_quotes_dotted_keys(post, source):
    post("/v1/track", track("Plan Upgraded", {"plan.seats": 5}))
    post("/v1/track", track("Plan Upgraded", {"plan.seats": True}))

    problem = problems_of("property_type_drift", source)[-1][1][0]
    assert problem["path"] == 'properties["plan.seats"]'


@pytest.mark.django_db
def test_type_drift_on_semantic_events(post, source):
    """The canonical example: earlier Order Completed events sent total as a number."""
    rule = RULES["property_type_drift"]
    post("/v1/track", {**rule.good, "messageId": "m_1"})
    post("/v1/track", {**rule.bad, "messageId": "m_2"})

    stored = problems_of("property_type_drift", source)
    assert [len(found) for _, found in stored] == [0, 1]


@pytest.mark.django_db
def test_spelling_rule_example(post, source):
    rule = RULES["event_name_spelling_variant"]
    post("/v1/batch", {"batch": [rule.good, rule.good]})
    post("/v1/track", rule.bad)

    stored = problems_of("event_name_spelling_variant", source)
    assert [len(found) for _, found in stored] == [0, 0, 1]


@pytest.mark.django_db
def test_counts_stored_in_database(post, source):
    post("/v1/batch", {"batch": [track("Report Exported", {"rows": 3})] * 2 + [track("report_exported")]})

    spellings = dict(EventNameSpelling.objects.values_list("name", "count"))
    assert spellings == {"Report Exported": 2, "report_exported": 1}
    assert list(PropertyTypeCount.objects.values_list("event_name", "property", "json_type", "count")) == [
        ("Report Exported", "rows", "number", 2),
    ]


def prepared_batch(source, messages: list[dict]) -> storage.Batch:
    received = datetime(2024, 3, 5, 10, 0, tzinfo=timezone.utc)
    events = [
        PreparedEvent(index, message, [], f"hash-{index}", f"m-{index}", received, received)
        for index, message in enumerate(messages)
    ]
    return storage.Batch(source=source, received_at=received, events=events)


@pytest.mark.django_db
def test_queries_per_group_bounded(source, make_source):
    other = make_source("other", "wk_other")
    messages = [
        track(f"Report {word} Exported", {f"field_{number}": number for number in range(10)})
        for word in ("Sales", "Stock", "Tax") for _ in range(40)
    ]
    batches = [prepared_batch(source, messages), prepared_batch(other, messages)]

    with CaptureQueriesContext(connection) as queries:
        history.check_history(batches)

    assert len(queries) == 4


@pytest.mark.django_db
def test_no_queries_without_track_events(source):
    batch = prepared_batch(source, [{"type": "identify", "userId": "u_1", "traits": {}}])
    with CaptureQueriesContext(connection) as queries:
        history.check_history([batch])
    assert len(queries) == 0


@pytest.mark.django_db
def test_rerun_replaces_problems(source):
    """Storage retries a group after losing a race; the problems must not be added twice."""
    batch = prepared_batch(source, [track("Report Exported"), track("report_exported")])
    history.check_history([batch])
    history.check_history([batch])

    assert [[p.code for p in event.problems] for event in batch.events] == [[], ["event_name_spelling_variant"]]
