import math
import uuid
from datetime import datetime, timedelta, timezone

from django.core.management.base import BaseCommand, CommandError

from tracker.models import Source

DEFAULT_URL = "http://127.0.0.1:8000"


def demo_calls(user_id: str, anonymous_id: str) -> list[tuple[str, dict]]:
    """A shop visit and sign-up, first as the spec wants it, then with each common mistake."""
    now = datetime.now(timezone.utc)
    product = {"product_id": "sku-42", "sku": "sku-42", "name": "Trail Shoe", "price": 89.0, "quantity": 1}
    good = [
        ("page", {"anonymous_id": anonymous_id, "name": "Pricing", "properties": {"path": "/pricing"}}),
        ("track", {"anonymous_id": anonymous_id, "event": "Product Viewed", "properties": {**product, "currency": "USD"}}),
        ("track", {"anonymous_id": anonymous_id, "event": "Product Added", "properties": {"cart_id": "c-7", **product}}),
        ("alias", {"previous_id": anonymous_id, "user_id": user_id}),
        ("identify", {"user_id": user_id, "traits": {"email": "ada@example.com", "plan": "pro", "created_at": now}}),
        ("group", {"user_id": user_id, "group_id": "acme", "traits": {"name": "Acme Inc", "employees": 40}}),
        ("track", {"user_id": user_id, "event": "Checkout Started", "properties": {
            "order_id": "o-1001", "value": 89.0, "currency": "USD", "products": [product]}}),
        ("track", {"user_id": user_id, "event": "Order Completed", "properties": {
            "order_id": "o-1001", "total": 96.5, "revenue": 89.0, "shipping": 4.5, "tax": 3.0,
            "currency": "USD", "products": [product]}}),
        ("screen", {"user_id": user_id, "name": "Order Confirmation", "properties": {"order_id": "o-1001"}}),
    ]
    faulty = [
        # Reserved properties misused.
        ("track", {"user_id": user_id, "event": "Order Completed", "properties": {
            "order_id": "o-1002", "revenue": "$1,249.00", "currency": "usd"}}),
        ("track", {"user_id": user_id, "event": "Order Completed", "properties": {
            "order_id": "o-1003", "revenue": "25.50", "currency": "EURO"}}),
        ("track", {"user_id": user_id, "event": "Newsletter Subscribed", "properties": {"value": "high"}}),
        # Names that say nothing, or break Object + past-tense Action.
        ("track", {"user_id": user_id, "event": "Event 12", "properties": {}}),
        ("track", {"user_id": user_id, "event": "TMDropd", "properties": {}}),
        ("track", {"user_id": user_id, "event": "Click Button", "properties": {"button_id": "buy"}}),
        ("track", {"user_id": user_id, "event": "order_completed", "properties": {"order_id": "o-1004"}}),
        ("track", {"user_id": user_id, "event": "", "properties": {"note": "empty event name"}}),
        # A blank user id, a float NaN, an integer JavaScript cannot hold, a clock two weeks ahead.
        ("track", {"user_id": "   ", "event": "Report Exported", "properties": {"format": "csv"}}),
        ("track", {"user_id": user_id, "event": "Flight Logged", "properties": {"duration_s": math.nan, "legs": 2}}),
        ("track", {"user_id": user_id, "event": "Invoice Paid", "properties": {"invoice_id": 2**60}}),
        ("track", {"user_id": user_id, "event": "App Opened", "timestamp": now + timedelta(days=14)}),
    ]
    return good + faulty


# Shapes the SDK's public calls refuse to build; they go through its queue directly.
RAW_MESSAGES = [
    {"type": "track", "userId": "demo-user", "event": 42, "properties": {}},
    {"type": "track", "userId": "demo-user", "event": "Filter Applied", "properties": "plan=pro"},
    {"type": "track", "event": "Dashboard Viewed", "properties": {}},
]


class Command(BaseCommand):
    help = "Send a realistic mix of good and faulty events to a running Trackside with the official Python SDK."

    def add_arguments(self, parser):
        parser.add_argument("--url", default=DEFAULT_URL, help=f"Trackside's base URL (default {DEFAULT_URL}).")
        parser.add_argument("--write-key", help="Write key of the source to send to (default: the development source's).")
        parser.add_argument("--gzip", action="store_true", help="Compress the batches with gzip.")

    def handle(self, *args, url, write_key=None, gzip=False, **options):
        from segment.analytics import Client

        write_key = write_key or self.development_write_key()
        errors: list[str] = []
        client = Client(
            write_key=write_key,
            host=url.rstrip("/"),
            gzip=gzip,
            max_retries=2,
            on_error=lambda error, batch: errors.append(f"{error} ({len(batch)} messages)"),
        )
        user_id = f"demo-{uuid.uuid4().hex[:8]}"
        calls = demo_calls(user_id, anonymous_id=str(uuid.uuid4()))
        for method, arguments in calls:
            getattr(client, method)(**arguments)
        sent_raw = self.send_raw(client, user_id)
        client.flush()
        client.shutdown()
        if errors:
            raise CommandError(f"Trackside at {url} did not accept the events: {'; '.join(errors)}")
        self.stdout.write(f"Sent {len(calls) + sent_raw} events for user {user_id} to {url}.")

    def development_write_key(self) -> str:
        from django.db.utils import DatabaseError

        try:
            source = Source.objects.filter(name="development").first()
        except DatabaseError:
            source = None
        if source is None:
            raise CommandError("No --write-key given and no development source here; run quickstart first.")
        return source.write_key

    def send_raw(self, client, user_id: str) -> int:
        # NOTE: _enqueue is the SDK's internal queueing step (segment-analytics-python 2.x); if a
        # later version drops it, these three events are skipped and the rest still go out.
        enqueue = getattr(client, "_enqueue", None)
        if enqueue is None:
            return 0
        for message in RAW_MESSAGES:
            message = {"timestamp": None, "integrations": {}, "context": {}, **message}
            if "userId" in message:
                message["userId"] = user_id
            enqueue(message)
        return len(RAW_MESSAGES)
