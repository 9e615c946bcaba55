"""Table tests of the naming rules, one verdict per event name, and of property name casing."""
import pytest

from tracker.validation import NO_SUGGESTION, validate
from tracker.validation.naming import MAX_PROPERTY_NAME_NOTES, snake_case
from tracker.validation.words import is_past_tense, looks_abbreviated, split_words


def verdict(name: str) -> list[tuple]:
    """Return (code, suggestion) of the problems at the event name."""
    message = {"type": "track", "userId": "u_1", "event": name}
    return [
        (p.code, None if p.suggestion is NO_SUGGESTION else p.suggestion)
        for p in validate(message)
        if p.path == "event"
    ]


NAME_CASES = [
    # Good names, the spec's own and custom ones.
    ("Order Completed", []),
    ("Report Exported", []),
    ("Invoice Paid", []),
    ("Blog Post Read", []),
    ("Email Sent", []),
    ("Item Added to Cart", []),
    ("Logged In", []),
    ("Purchased", []),
    ("Order Completed Successfully", []),
    ("Saved Search Deleted", []),
    ("User Onboarded", []),
    ("Answer Upvoted", []),
    ("Shopify Store Connected", []),
    ("Step 2 Completed", []),
    ("iOS App Opened", []),
    ("SMS Sent", []),
    ("Button Clicked", []),
    # Semantic names are exempt from every naming rule.
    ("Signed Up", []),
    ("Unsubscribed", []),
    ("Video Content Playing", []),
    ("Account Added User", []),
    ("Email Marked as Spam", []),
    ("Message Sent", []),
    ("Product Added To Cart From Wishlist", []),
    # A v1 alias gets one info note, from the semantic rules, and no word-order warning.
    ("Completed Order", [("semantic_v1_alias", "Order Completed")]),
    ("Viewed Product Category", [("semantic_v1_alias", "Product List Viewed")]),
    # Near-misses of semantic names.
    ("order_completed", [("event_name_semantic_variant", "Order Completed")]),
    ("OrderCompleted", [("event_name_semantic_variant", "Order Completed")]),
    ("order completed", [("event_name_semantic_variant", "Order Completed")]),
    ("completed_order", [("event_name_semantic_variant", "Order Completed")]),
    ("Order  Completed", [("event_name_semantic_variant", "Order Completed")]),
    ("signed-up", [("event_name_semantic_variant", "Signed Up")]),
    ("Searched Products", [("event_name_semantic_variant", "Products Searched")]),
    # Names that carry data.
    ("Report 2024-03-05 Exported", [("event_name_dynamic", None)]),
    ("Report Exported 03/05/2024", [("event_name_dynamic", None)]),
    ("Report Exported Mar 5", [("event_name_dynamic", None)]),
    ("2024 Report Exported", [("event_name_dynamic", None)]),
    ("Order 8f3a2c9d1e Completed", [("event_name_dynamic", None)]),
    ("Order 3c2f0c6a-9d1e-4b7e-8f3a-5a1d2c3b4e5f Completed", [("event_name_dynamic", None)]),
    ("Order 1234567 Completed", [("event_name_dynamic", None)]),
    ("Order ord_504 Completed", [("event_name_dynamic", None)]),
    ("User {{name}} Invited", [("event_name_dynamic", None)]),
    ("User ${name} Invited", [("event_name_dynamic", None)]),
    ("User %s Invited", [("event_name_dynamic", None)]),
    ("User {user_id} Invited", [("event_name_dynamic", None)]),
    ("undefined Clicked", [("event_name_dynamic", None)]),
    ("[object Object] Viewed", [("event_name_dynamic", None)]),
    ("ada@example.com Invited", [("event_name_dynamic", None)]),
    ("https://example.com/pricing Viewed", [("event_name_dynamic", None)]),
    ("/products/shoes Viewed", [("event_name_dynamic", None)]),
    # Nondescript names.
    ("Event 12", [("event_name_nondescript", None)]),
    ("test", [("event_name_nondescript", None)]),
    ("click", [("event_name_nondescript", None)]),
    ("Test Event", [("event_name_nondescript", None)]),
    ("TMDropd", [("event_name_nondescript", None)]),
    ("Btn Clk", [("event_name_nondescript", None)]),
    ("Chkout Submitted", [("event_name_nondescript", None)]),
    ("123", [("event_name_nondescript", None)]),
    ("x", [("event_name_nondescript", None)]),
    ("!!!", [("event_name_nondescript", None)]),
    # Not Object + past-tense Action.
    ("Click Button", [("event_name_not_object_action", "Button Clicked")]),
    ("Completing Order", [("event_name_not_object_action", "Order Completed")]),
    ("Viewed Dashboard", [("event_name_not_object_action", "Dashboard Viewed")]),
    ("Button Click", [("event_name_not_object_action", "Button Clicked")]),
    ("Order Complete", [("event_name_not_object_action", "Order Completed")]),
    ("Form Submit", [("event_name_not_object_action", "Form Submitted")]),
    ("Video Playing", [("event_name_not_object_action", "Video Played")]),
    ("Page View", [("event_name_not_object_action", "Page Viewed")]),
    ("Sign Up", [("event_name_not_object_action", "Signed Up")]),
    ("Log In", [("event_name_not_object_action", "Logged In")]),
    ("Submitting Lead Form", [("event_name_not_object_action", "Lead Form Submitted")]),
    # Unclear rewrites: warned without a suggestion.
    ("Add to Cart", [("event_name_not_object_action", None)]),
    ("Buy Button", [("event_name_not_object_action", None)]),
    ("Search Results", [("event_name_not_object_action", None)]),
    ("Homepage", [("event_name_not_object_action", None)]),
    ("Checkout", [("event_name_not_object_action", None)]),
    # Casing, when the structure is right.
    ("report_exported", [("event_name_not_title_case", "Report Exported")]),
    ("report-exported", [("event_name_not_title_case", "Report Exported")]),
    ("reportExported", [("event_name_not_title_case", "Report Exported")]),
    ("Report exported", [("event_name_not_title_case", "Report Exported")]),
    ("ORDER SHIPPED", [("event_name_not_title_case", "Order Shipped")]),
    ("item added to cart", [("event_name_not_title_case", "Item Added to Cart")]),
    ("Item Added To Cart", []),
]


@pytest.mark.parametrize(("name", "expected"), [pytest.param(n, e, id=n) for n, e in NAME_CASES])
def test_event_name_verdict(name, expected):
    assert verdict(name) == expected


def test_naming_skips_names_call_rules_reject():
    for name in ("", "   ", 42, "R" * 201):
        assert [code for code, _ in verdict(name) if code.startswith("event_name")] == []


def test_page_names_not_checked():
    message = {"type": "page", "anonymousId": "a_1", "name": "pricing_page"}
    assert validate(message) == []


def property_notes(properties: dict, event: str = "Report Exported") -> list[tuple]:
    message = {"type": "track", "userId": "u_1", "event": event, "properties": properties}
    return [
        (p.path, None if p.suggestion is NO_SUGGESTION else p.suggestion)
        for p in validate(message)
        if p.code == "property_name_not_snake_case"
    ]


PROPERTY_CASES = [
    ({"file_format": "csv", "row_count": 3, "address2": "x"}, []),
    ({"fileFormat": "csv"}, [("properties.fileFormat", "file_format")]),
    ({"FileFormat": "csv"}, [("properties.FileFormat", "file_format")]),
    ({"Order ID": 1}, [("properties.Order ID", "order_id")]),
    ({"order-id": 1}, [("properties.order-id", "order_id")]),
    ({"a.b": 1}, [('properties["a.b"]', "a_b")]),
    ({"$set": 1}, [("properties.$set", None)]),
    ({"_private": 1}, [("properties._private", "private")]),
    ({"": 1}, [('properties[""]', None)]),
]


@pytest.mark.parametrize(("properties", "expected"), PROPERTY_CASES)
def test_property_name_casing(properties, expected):
    assert property_notes(properties) == expected


def test_property_casing_exempt_for_documented_properties():
    assert property_notes({"conversationId": "c_1", "messageId": "m_1"}, event="Message Sent") == []
    assert property_notes({"startupTime": 3, "droppedFrames": 1}, event="Video Quality Updated") == []


def test_property_casing_not_exempt_on_other_events():
    assert property_notes({"conversationId": "c_1"}) == [("properties.conversationId", "conversation_id")]


def test_reserved_field_gets_one_verdict():
    codes = [p.code for p in validate({"type": "track", "userId": "u", "event": "Report Exported",
                                       "properties": {"userId": "u_2"}})]
    assert codes == ["reserved_field_in_properties"]


def test_property_casing_capped():
    properties = {f"fieldNumber{chr(65 + number)}": number for number in range(15)}
    notes = property_notes(properties)
    assert len(notes) == MAX_PROPERTY_NAME_NOTES + 1
    assert notes[-1] == ("properties", None)


def test_property_casing_on_page_calls():
    message = {"type": "page", "anonymousId": "a_1", "name": "Pricing", "properties": {"pageType": "x"}}
    assert [p.path for p in validate(message)] == ["properties.pageType"]


@pytest.mark.parametrize(("word", "past"), [
    ("clicked", True), ("paid", True), ("sent", True), ("read", True), ("bought", True), ("onboarded", True),
    ("click", False), ("completing", False), ("speed", False), ("red", False), ("need", False), ("dropd", False),
])
def test_past_tense_from_lexicon(word, past):
    assert is_past_tense(word) is past


@pytest.mark.parametrize(("word", "abbreviated"), [
    ("Dropd", True), ("Btn", True), ("Msg", True), ("Chkout", True), ("Mgmt", True),
    ("TM", False), ("SMS", False), ("Webhook", False), ("Shopify", False), ("Kubernetes", False), ("Figma", False),
])
def test_abbreviation_detection(word, abbreviated):
    assert looks_abbreviated(word) is abbreviated


def test_split_words():
    assert split_words("TMDropd") == ["TM", "Dropd"]
    assert split_words("getHTTPResponse2") == ["get", "HTTP", "Response", "2"]


def test_snake_case_keeps_characters():
    assert snake_case("orderID") == "order_id"
    assert snake_case("price$") is None
