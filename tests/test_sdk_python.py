"""
The official PyPI clients against a live, Daphne-served Trackside.

segment-analytics-python (plain and with gzip=True) and rudder-sdk-python
(gzip on by default, pointed at Trackside as its data plane URL) send every
call type, unicode, datetimes and a batch of 250. Each message must be stored
once with exactly what the client sent.
"""
import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest

from .clientkit import require_python_package
from .sdklive import LiveSource, assert_stored_as_sent, create_source, stored_events

pytestmark = pytest.mark.live

BATCH_SIZE = 250
UNICODE_TEXT = {
    "accents": "Crème brûlée à Zürich, naïve façade",
    "cjk": "東京で寿司を食べる 北京 서울",
    "emoji": "🎉🚀 👩‍💻 🇨🇭",
    "rtl": "مرحبا بالعالم",
    "clé_日本": "値",
}
INDIA = timezone(timedelta(hours=5, minutes=30))
DATETIMES = {
    "aware": datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=INDIA),
    "utc": datetime(2023, 12, 31, 8, 30, tzinfo=timezone.utc),
    "naive": datetime(2023, 12, 31, 8, 30),
    "day": date(2024, 1, 15),
    "nested": [{"at": date(2020, 2, 2)}],
}
# How both clients write those values: datetime.isoformat(), with no zone for a naive one.
DATETIME_TEXT = {
    "aware": "2024-02-29T23:59:58.123456+05:30",
    "utc": "2023-12-31T08:30:00+00:00",
    "naive": "2023-12-31T08:30:00",
    "day": "2024-01-15",
    "nested": [{"at": "2020-02-02"}],
}


@dataclass
class PythonSdk:
    """One official client sending to one source, with what it reported as failed."""

    label: str
    source: LiveSource
    serializer: type
    client: Any = None
    errors: list = field(default_factory=list)
    sent: list[dict] = field(default_factory=list)

    def call(self, method: str, **arguments) -> dict:
        """Call the client; keep the message as it goes on the wire."""
        queued, message = getattr(self.client, method)(**arguments)
        assert queued, f"{self.label} did not queue the {method} call"
        wire = json.loads(json.dumps(message, cls=self.serializer))
        self.sent.append(wire)
        return wire

    def flush(self) -> None:
        self.client.flush()
        assert self.errors == [], f"{self.label} reported upload errors: {self.errors}"


def open_segment(server, source: LiveSource, gzip: bool) -> PythonSdk:
    analytics = require_python_package("segment.analytics", "segment-analytics-python")
    request = require_python_package("segment.analytics.request", "segment-analytics-python")
    sdk = PythonSdk("segment-analytics-python", source, request.DatetimeSerializer)
    sdk.client = analytics.Client(
        write_key=source.write_key, host=server.url, gzip=gzip, max_retries=1,
        on_error=lambda error, batch: sdk.errors.append(error),
    )
    return sdk


def open_rudder(server, source: LiveSource) -> PythonSdk:
    analytics = require_python_package("rudderstack.analytics", "rudder-sdk-python")
    request = require_python_package("rudderstack.analytics.request", "rudder-sdk-python")
    sdk = PythonSdk("rudder-sdk-python", source, request.DatetimeSerializer)
    # The data plane URL is the client's host: it posts to <host>/v1/batch.
    sdk.client = analytics.Client(
        source.write_key, host=server.url, max_retries=1,
        on_error=lambda error, batch: sdk.errors.append(error),
    )
    assert sdk.client.gzip is True, "rudder-sdk-python no longer gzips by default"
    return sdk


@pytest.fixture(params=["segment", "segment-gzip", "rudder"])
def sdk(request, live_server_process):
    """A Python client sending to a new source of the live server."""
    server = live_server_process
    source = create_source(server, f"py-{request.param}")
    if request.param == "rudder":
        opened = open_rudder(server, source)
    else:
        opened = open_segment(server, source, gzip=request.param == "segment-gzip")
    yield opened
    opened.client.shutdown()


def test_every_call_type_stored(sdk, live_server_process):
    user_id = f"py-user-{uuid.uuid4().hex[:8]}"
    sdk.call("track", user_id=user_id, event="Order Completed", properties={
        "order_id": "o-1", "revenue": 19.99, "currency": "EUR",
        "products": [{"sku": "SKU-1", "price": 19.99, "quantity": 1}],
    })
    sdk.call("identify", user_id=user_id, traits={"email": "zoe@example.com", "name": "Zoë Ångström"})
    sdk.call("page", user_id=user_id, category="Docs", name="Getting Started", properties={"path": "/docs/start"})
    sdk.call("screen", user_id=user_id, name="Home", properties={"variant": "b"})
    sdk.call("group", user_id=user_id, group_id="grp-1", traits={"name": "Überschall GmbH", "employees": 12})
    sdk.call("alias", previous_id="anon-1", user_id=user_id)
    sdk.call("track", anonymous_id="anon-1", event="Product Viewed", properties={"product_id": "p-9"})
    sdk.flush()

    stored = stored_events(live_server_process, sdk.source, len(sdk.sent))

    assert len(stored) == 7
    assert_stored_as_sent(stored, sdk.sent)
    types = sorted(stored[message["messageId"]]["type"] for message in sdk.sent)
    assert types == ["alias", "group", "identify", "page", "screen", "track", "track"]
    alias = next(event for event in stored.values() if event["type"] == "alias")
    assert alias["payload"]["previousId"] == "anon-1"
    group = next(event for event in stored.values() if event["type"] == "group")
    assert group["payload"]["groupId"] == "grp-1"
    assert group["payload"]["traits"] == {"name": "Überschall GmbH", "employees": 12}


def test_unicode_and_datetimes_intact(sdk, live_server_process):
    user_id = f"zoë-{uuid.uuid4().hex[:8]}-東京"
    happened_at = datetime(2024, 3, 5, 10, 0, 1, 250000, tzinfo=INDIA)
    sdk.call("track", user_id=user_id, event="Café Visité ☕", timestamp=happened_at, properties={
        **UNICODE_TEXT, "when": DATETIMES,
    })
    sdk.call("identify", user_id=user_id, traits={"name": "小林 🎈", "birthday": date(1990, 7, 14)})
    sdk.flush()

    stored = stored_events(live_server_process, sdk.source, 2)

    assert_stored_as_sent(stored, sdk.sent)
    track = next(event for event in stored.values() if event["type"] == "track")
    assert track["name"] == "Café Visité ☕"
    assert track["user_id"] == user_id
    properties = track["payload"]["properties"]
    for key, text in UNICODE_TEXT.items():
        assert properties[key] == text
    assert properties["when"] == DATETIME_TEXT
    assert track["payload"]["originalTimestamp"].startswith("2024-03-05T10:00:01.250")
    identify = next(event for event in stored.values() if event["type"] == "identify")
    identify_traits = identify["payload"].get("traits") or identify["payload"]["context"]["traits"]
    assert identify_traits == {"name": "小林 🎈", "birthday": "1990-07-14"}


def test_batch_of_250_stored(sdk, live_server_process):
    user_id = f"py-batch-{uuid.uuid4().hex[:8]}"
    for index in range(BATCH_SIZE):
        sdk.call("track", user_id=user_id, event="Row Viewed", properties={"index": index, "label": f"row {index} ✓"})
    sdk.flush()

    stored = stored_events(live_server_process, sdk.source, BATCH_SIZE)

    assert len(stored) == BATCH_SIZE
    assert_stored_as_sent(stored, sdk.sent)
    indexes = sorted(event["payload"]["properties"]["index"] for event in stored.values())
    assert indexes == list(range(BATCH_SIZE))
