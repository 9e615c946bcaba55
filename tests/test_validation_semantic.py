"""Table tests of the semantic event rules, and checks that the catalog contains every event of the spec."""
import pytest

from tracker.validation import NO_SUGGESTION, validate
from tracker.validation.catalog import catalog, lookup
from tracker.validation.semantic import MAX_ITEM_PROBLEMS


def found(event: str, properties=None, **fields) -> list[tuple]:
    message = {"type": "track", "userId": "u_1", "event": event, **fields}
    if properties is not None:
        message["properties"] = properties
    return [
        (p.code, p.path, None if p.suggestion is NO_SUGGESTION else p.suggestion)
        for p in validate(message)
        if p.code.startswith("semantic_")
    ]


PRODUCT = {"product_id": "p_7", "sku": "SKU-7", "name": "Trail Shoe", "price": 89.0, "quantity": 1}

CASES = [
    ("order complete", "Order Completed",
     {"order_id": "o_1", "total": 27.5, "revenue": 22.5, "currency": "USD", "products": [PRODUCT]}, []),
    ("order without order_id", "Order Completed", {"revenue": 22.5, "currency": "USD"},
     [("semantic_property_missing", "properties", None)]),
    ("order without properties", "Order Completed", None, [("semantic_property_missing", "properties", None)]),
    ("order_id number", "Order Completed", {"order_id": 504},
     [("semantic_property_type", "properties.order_id", "504")]),
    ("order_id float", "Order Completed", {"order_id": 5.5},
     [("semantic_property_type", "properties.order_id", None)]),
    ("total string", "Order Completed", {"order_id": "o_1", "total": "27.50"},
     [("semantic_property_type", "properties.total", 27.5)]),
    ("revenue left to reserved", "Order Completed", {"order_id": "o_1", "revenue": "22.50"}, []),
    ("products not array", "Order Completed", {"order_id": "o_1", "products": {"sku": "x"}},
     [("semantic_property_type", "properties.products", None)]),
    ("product item without id", "Order Completed", {"order_id": "o_1", "products": [{"name": "Shoe"}]},
     [("semantic_property_missing", "properties.products[0]", None)]),
    ("product item with sku only", "Order Completed", {"order_id": "o_1", "products": [{"sku": "S"}]}, []),
    ("product price and quantity strings", "Order Completed",
     {"order_id": "o_1", "products": [{"sku": "S", "price": "19.99", "quantity": "2"}]},
     [("semantic_property_type", "properties.products[0].price", 19.99),
      ("semantic_property_type", "properties.products[0].quantity", 2)]),
    ("product price formatted", "Order Completed", {"order_id": "o_1", "products": [{"sku": "S", "price": "$19.99"}]},
     [("semantic_property_type", "properties.products[0].price", None)]),
    ("product item not object", "Order Completed", {"order_id": "o_1", "products": ["S"]},
     [("semantic_property_type", "properties.products[0]", None)]),
    ("null product item skipped", "Order Completed", {"order_id": "o_1", "products": [None]}, []),
    ("product viewed top level", "Product Viewed", {"product_id": "p_7", "price": 10, "currency": "USD", "value": 10},
     []),
    ("product viewed without id", "Product Viewed", {"name": "Shoe"},
     [("semantic_property_missing", "properties", None)]),
    ("product added quantity", "Product Added", {"sku": "S", "quantity": "two"},
     [("semantic_property_type", "properties.quantity", None)]),
    ("products searched", "Products Searched", {"query": {"text": "shoe"}}, []),
    ("products searched query number", "Products Searched", {"query": 5},
     [("semantic_property_type", "properties.query", None)]),
    ("products searched without query", "Products Searched", {},
     [("semantic_property_missing", "properties", None)]),
    ("filters items", "Product List Filtered", {"filters": [{"type": "size", "value": 9}]},
     [("semantic_property_type", "properties.filters[0].value", "9")]),
    ("checkout step number string", "Checkout Step Viewed", {"step": "2"},
     [("semantic_property_type", "properties.step", 2)]),
    ("promotion by name", "Promotion Viewed", {"name": "Spring Sale"}, []),
    ("coupon denied", "Coupon Denied", {"coupon_name": "SPRING", "reason": "expired"}, []),
    ("cart shared item", "Cart Shared", {"products": [{"sku": "S"}]},
     [("semantic_property_missing", "properties.products[0]", None)]),
    ("v1 alias", "Completed Order", {"order_id": "o_1"}, [("semantic_v1_alias", "event", "Order Completed")]),
    ("v1 alias still checked", "Viewed Product", {"name": "Shoe"},
     [("semantic_v1_alias", "event", "Product Viewed"), ("semantic_property_missing", "properties", None)]),
    ("variant still checked", "order_completed", {"total": "9"},
     [("semantic_property_missing", "properties", None), ("semantic_property_type", "properties.total", 9)]),
    ("video enum case", "Video Ad Started", {"type": "Pre-Roll"},
     [("semantic_property_type", "properties.type", "pre-roll")]),
    ("video enum unknown", "Video Ad Started", {"type": "preroll"},
     [("semantic_property_type", "properties.type", None)]),
    ("video quartile", "Video Ad Playing", {"quartile": 4}, [("semantic_property_type", "properties.quartile", None)]),
    ("video position float", "Video Playback Paused", {"position": 12.5},
     [("semantic_property_type", "properties.position", None)]),
    ("video position integral float", "Video Playback Paused", {"position": 12.0}, []),
    ("video boolean string", "Video Playback Started", {"full_screen": "true"},
     [("semantic_property_type", "properties.full_screen", True)]),
    ("video nested content", "Video Ad Started", {"content": {"airdate": "2024-03-05", "keywords": ["a", 1]}},
     [("semantic_property_type", "properties.content.keywords[1]", "1")]),
    ("video airdate", "Video Content Started", {"airdate": "last week"},
     [("semantic_property_type", "properties.airdate", None)]),
    ("ad asset either type", "Video Playback Started", {"ad_asset_id": ["a", "b"]}, []),
    ("mobile build integer", "Application Installed", {"version": "1.2", "build": 412}, []),
    ("mobile from_background", "Application Opened", {"from_background": 1},
     [("semantic_property_type", "properties.from_background", None)]),
    ("install campaign", "Install Attributed", {"campaign": {"source": 3}},
     [("semantic_property_type", "properties.campaign.source", "3")]),
    ("b2b group id", "Account Removed User", {}, [("semantic_property_missing", "context", None)]),
    ("b2b group id present", "Account Removed User", {}, []),
    ("trial date", "Trial Started", {"trial_start_date": "2024-03-05T00:00:00Z"}, []),
    ("copilot conversation", "Message Sent", {"conversationId": "c_1", "messageId": "m_1", "role": "customer"}, []),
    ("copilot without conversation", "Feedback Submitted", {"rating": "5"},
     [("semantic_property_missing", "properties", None), ("semantic_property_type", "properties.rating", 5)]),
    ("experiment by names", "Experiment Viewed", {"experiment_name": "Hero", "variation_name": "B"}, []),
    ("experiment without variation", "Experiment Viewed", {"experiment_id": "e_1"},
     [("semantic_property_missing", "properties", None)]),
    ("custom properties allowed", "Order Completed", {"order_id": "o_1", "gift_wrap": True}, []),
    ("properties not object left to call rules", "Order Completed", "o_1", []),
]


def case_fields(name: str) -> dict:
    return {"context": {"groupId": "acct_1"}} if name == "b2b group id present" else {}


@pytest.mark.parametrize(
    ("name", "event", "properties", "expected"), [pytest.param(*case, id=case[0]) for case in CASES]
)
def test_semantic_rules(name, event, properties, expected):
    assert found(event, properties, **case_fields(name)) == expected


def test_item_problems_capped():
    products = [{"name": f"Shoe {number}"} for number in range(15)]
    problems = found("Order Completed", {"order_id": "o_1", "products": products})
    assert len(problems) == MAX_ITEM_PROBLEMS + 1
    assert problems[-1][1] == "properties.products"


def test_context_not_object_left_to_common_rules():
    assert found("Account Created", {}, context="acct_1") == []


SPEC_EVENTS = {
    "E-commerce": [
        "Products Searched", "Product List Viewed", "Product List Filtered", "Promotion Viewed", "Promotion Clicked",
        "Product Clicked", "Product Viewed", "Product Added", "Product Removed", "Cart Viewed", "Checkout Started",
        "Checkout Step Viewed", "Checkout Step Completed", "Payment Info Entered", "Order Updated", "Order Completed",
        "Order Refunded", "Order Cancelled", "Coupon Entered", "Coupon Applied", "Coupon Denied", "Coupon Removed",
        "Product Added to Wishlist", "Product Removed from Wishlist", "Wishlist Product Added to Cart",
        "Product Shared", "Cart Shared", "Product Reviewed",
    ],
    "Video": [
        "Video Playback Started", "Video Playback Paused", "Video Playback Interrupted",
        "Video Playback Buffer Started", "Video Playback Buffer Completed", "Video Playback Seek Started",
        "Video Playback Seek Completed", "Video Playback Resumed", "Video Playback Completed",
        "Video Playback Exited", "Video Content Started", "Video Content Playing", "Video Content Completed",
        "Video Ad Started", "Video Ad Playing", "Video Ad Completed", "Video Quality Updated",
    ],
    "Mobile": [
        "Application Installed", "Application Opened", "Application Backgrounded", "Application Foregrounded",
        "Application Updated", "Application Uninstalled", "Application Crashed", "Install Attributed",
        "Push Notification Received", "Push Notification Tapped", "Push Notification Bounced", "Deep Link Opened",
        "Deep Link Clicked",
    ],
    "B2B SaaS": [
        "Account Created", "Account Deleted", "Signed Up", "Signed In", "Signed Out", "Invite Sent",
        "Account Added User", "Account Removed User", "Trial Started", "Trial Ended",
    ],
    "Email": ["Email Bounced", "Email Delivered", "Email Link Clicked", "Email Marked as Spam", "Email Opened",
              "Unsubscribed"],
    "Live Chat": ["Live Chat Conversation Started", "Live Chat Conversation Ended", "Live Chat Message Sent",
                  "Live Chat Message Received"],
    "A/B Testing": ["Experiment Viewed"],
    "AI Copilot": ["Conversation Started", "Message Sent", "Message Received", "Conversation Ended", "Action Invoked",
                   "Media Generated", "Component Loaded", "Feedback Submitted"],
}
V1_ALIASES = {
    "Viewed Product Category": "Product List Viewed", "Viewed Promotion": "Promotion Viewed",
    "Clicked Promotion": "Promotion Clicked", "Clicked Product": "Product Clicked", "Viewed Product": "Product Viewed",
    "Added Product": "Product Added", "Removed Product": "Product Removed", "Started Order": "Checkout Started",
    "Viewed Checkout Step": "Checkout Step Viewed", "Completed Checkout Step": "Checkout Step Completed",
    "Updated Order": "Order Updated", "Completed Order": "Order Completed",
}


@pytest.mark.parametrize("category", sorted(SPEC_EVENTS))
def test_catalog_has_every_spec_event(category):
    names = dict(catalog().categories)[category]
    assert {event.name for event in names} >= set(SPEC_EVENTS[category])


@pytest.mark.parametrize(("alias", "name"), sorted(V1_ALIASES.items()))
def test_catalog_v1_aliases(alias, name):
    match = lookup(alias)
    assert (match.kind, match.event.name) == ("alias", name)


def test_catalog_names_exact():
    for _, events in catalog().categories:
        for event in events:
            assert lookup(event.name).kind == "exact"


def test_catalog_documented_types():
    order = catalog().events["Order Completed"]
    assert order.properties.fields["products"].items.fields.fields["price"].types == ("number",)
    assert order.properties.expected == (("order_id",),)
    assert "messageId" in catalog().events["Message Sent"].documented


def test_unknown_name_not_semantic():
    assert lookup("Report Exported") is None
