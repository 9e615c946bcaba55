"""
Throughput of the pure validator on realistic payloads, on one core.

    python bench/validator.py                 # about 3 s per scenario
    python bench/validator.py --seconds 10

Run it from the project folder with the project installed (``pip install -e .``).
The payloads are enriched messages shaped like what analytics.js, the Python
SDK and mobile SDKs send. They are page calls with a full browser context,
e-commerce events with products, identify calls with traits and screen calls.
One message in ten has the faults the validator reports. Two scenarios run:

- "realistic": 40 event names that repeat, as in real traffic, so the naming
  verdicts come from their cache;
- "distinct names": every message has a new event name, so each one goes
  through the naming rules and the semantic catalog look-up.

Rates are messages per second of this process's CPU time, so that other
work on a shared machine slows the run down but changes the figure less.
The target is 20,000 messages per second or more on one core, so that
validation is never the bottleneck of ingest. The figures depend on the
machine, so compare runs made on the same machine.
"""
import argparse
import gc
import random
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tracker.validation import validate  # noqa: E402

TARGET = 20_000
USER_AGENT = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)
CUSTOM_NAMES = [
    "Report Exported", "Dashboard Viewed", "Filter Applied", "Plan Upgraded", "Invite Accepted", "Comment Posted",
    "File Uploaded", "Search Performed", "Tab Switched", "Settings Saved", "Notification Dismissed", "Video Shared",
    "Playlist Created", "Coupon Copied", "Banner Clicked", "Tooltip Viewed", "Feature Enabled", "Theme Changed",
]
SEMANTIC_NAMES = [
    "Order Completed", "Product Viewed", "Product Added", "Checkout Started", "Products Searched", "Cart Viewed",
    "Signed Up", "Signed In", "Application Opened", "Video Playback Started", "Experiment Viewed",
]
FAULTY_NAMES = ["Event 12", "TMDropd", "Click Button", "order_completed", "Completed Order", "report_exported",
                "Report 2024-03-05 Exported", "Completing Order", "Button Click", "test", "Checkout"]


def browser_context(rng: random.Random) -> dict:
    return {
        "ip": f"203.0.113.{rng.randint(1, 254)}",
        "locale": "en-US",
        "userAgent": USER_AGENT,
        "userAgentData": {"brands": [{"brand": "Chromium", "version": "124"}], "mobile": False, "platform": "macOS"},
        "library": {"name": "analytics.js", "version": "next-1.70.0"},
        "page": {
            "path": "/pricing", "referrer": "https://www.google.com/", "search": "?plan=pro",
            "title": "Pricing", "url": "https://shop.example.com/pricing?plan=pro",
        },
        "campaign": {"name": "spring", "source": "newsletter", "medium": "email"},
        "timezone": "Europe/Paris",
    }


def mobile_context(rng: random.Random) -> dict:
    return {
        "app": {"name": "Shop", "version": "4.2.0", "build": 412, "namespace": "com.example.shop"},
        "device": {"id": str(uuid.UUID(int=rng.getrandbits(128))), "manufacturer": "Google", "model": "Pixel 8",
                   "type": "android", "adTrackingEnabled": False},
        "library": {"name": "analytics-kotlin", "version": "1.15.0"},
        "os": {"name": "Android", "version": "14"},
        "screen": {"density": 2.75, "height": 2400, "width": 1080},
        "network": {"wifi": True, "cellular": False, "carrier": "Example"},
        "locale": "fr-FR",
        "timezone": "Europe/Paris",
    }


def product(rng: random.Random) -> dict:
    sku = f"SKU-{rng.randint(100, 999)}"
    return {"product_id": sku, "sku": sku, "name": "Trail Shoe", "brand": "Example", "category": "Shoes",
            "price": round(rng.uniform(10, 200), 2), "quantity": rng.randint(1, 3), "url": "https://shop.example.com/p"}


def server_fields(rng: random.Random) -> dict:
    return {
        "messageId": f"ajs-next-{uuid.UUID(int=rng.getrandbits(128))}",
        "anonymousId": str(uuid.UUID(int=rng.getrandbits(128))),
        "originalTimestamp": "2024-03-05T10:00:00.152Z",
        "sentAt": "2024-03-05T10:00:00.169Z",
        "timestamp": "2024-03-05T10:00:01.249Z",
        "receivedAt": "2024-03-05T10:00:01.266Z",
        "version": 2,
        "integrations": {"All": True, "Mixpanel": False},
    }


def track(rng: random.Random, name: str) -> dict:
    properties: dict = {"plan": "pro", "seats": rng.randint(1, 50), "source_page": "/pricing"}
    if name in ("Order Completed", "Checkout Started", "Cart Viewed"):
        items = [product(rng) for _ in range(rng.randint(1, 4))]
        total = round(sum(item["price"] * item["quantity"] for item in items), 2)
        properties = {"order_id": f"o_{rng.randint(1000, 9999)}", "total": total, "revenue": total,
                      "currency": "EUR", "products": items}
    elif name in ("Product Viewed", "Product Added"):
        properties = {**product(rng), "currency": "EUR", "value": 89.0}
    return {"type": "track", "event": name, "userId": f"u_{rng.randint(1, 5000)}", "properties": properties,
            "context": browser_context(rng), **server_fields(rng)}


def faulty(rng: random.Random) -> dict:
    message = track(rng, rng.choice(FAULTY_NAMES))
    message["properties"].update({"revenue": rng.choice(["25.50", "$1,249.00"]), "currency": "usd",
                                  "fileFormat": "csv"})
    message["userId"] = rng.choice([42, "", None])
    return message


def realistic_messages(count: int, seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    messages = []
    for number in range(count):
        roll = number % 10
        if roll == 0:
            messages.append(faulty(rng))
        elif roll == 1:
            messages.append({"type": "page", "name": "Pricing", "properties": {"path": "/pricing", "title": "Pricing"},
                             "context": browser_context(rng), **server_fields(rng)})
        elif roll == 2:
            messages.append({"type": "identify", "userId": f"u_{rng.randint(1, 5000)}",
                             "traits": {"email": "ada@example.com", "plan": "pro", "createdAt": "2023-12-31T00:00:00Z",
                                        "firstName": "Ada", "company": {"name": "Acme", "employees": 40}},
                             "context": browser_context(rng), **server_fields(rng)})
        elif roll == 3:
            messages.append({"type": "screen", "name": "Order Confirmation", "properties": {"order_id": "o_1"},
                             "context": mobile_context(rng), **server_fields(rng)})
        else:
            messages.append(track(rng, rng.choice(CUSTOM_NAMES + SEMANTIC_NAMES)))
    return messages


def distinct_name_messages(count: int, seed: int = 11) -> list[dict]:
    rng = random.Random(seed)
    objects = ["Report", "Invoice", "Widget", "Ticket", "Project", "Album", "Survey", "Lesson"]
    actions = ["Exported", "Paid", "Moved", "Closed", "Archived", "Shared", "Answered", "Finished"]
    messages = []
    for number in range(count):
        name = f"{rng.choice(objects)} {number:07d}{rng.choice('ABCDEFGH')} {rng.choice(actions)}"
        messages.append(track(rng, name))
    return messages


def measure(messages: list[dict], seconds: float) -> tuple[float, float]:
    """Validate the messages over and over for about ``seconds``; return messages/s and problems per message."""
    problems = sum(len(validate(message)) for message in messages)  # warm caches and lazy loads
    gc.collect()
    done = 0
    started = time.process_time()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        for message in messages:
            validate(message)
        done += len(messages)
    elapsed = time.process_time() - started
    return done / elapsed, problems / len(messages)


def measure_once(messages: list[dict]) -> float:
    """Validate each message once (no repeats, so caches keyed by name never hit twice); return messages/s."""
    started = time.process_time()
    for message in messages:
        validate(message)
    return len(messages) / (time.process_time() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description="Messages per second of tracker.validation.validate on one core.")
    parser.add_argument("--seconds", type=float, default=3.0, help="How long the realistic scenario runs (seconds).")
    parser.add_argument("--messages", type=int, default=5_000, help="Distinct payloads per scenario.")
    arguments = parser.parse_args()

    validate(realistic_messages(1)[0])  # load the lexicon and the catalog before timing
    rate, per_message = measure(realistic_messages(arguments.messages), arguments.seconds)
    print(f"realistic:      {rate:10,.0f} messages/s ({per_message:.2f} problems per message)")
    cold = measure_once(distinct_name_messages(arguments.messages))
    print(f"distinct names: {cold:10,.0f} messages/s (every name new, each validated once)")
    verdict = "meets" if rate >= TARGET else "misses"
    print(f"The realistic figure {verdict} the target of {TARGET:,} messages/s on one core.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
