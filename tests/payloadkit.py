"""
Compare a message as an SDK sent it with the payload Trackside stored.

The stored payload is the sent message plus what enrichment adds, so the
comparison applies those rules: ``writeKey`` is dropped, the client's
``timestamp`` moves to ``originalTimestamp``, ``receivedAt``, ``timestamp``
and ``version`` are the server's, ``sentAt`` may come from the batch,
``context.ip`` is added, and batch-level ``context`` and ``integrations``
are merged in. Every other field must come back exactly.

Numbers compare by value as JSON numbers: PostgreSQL's jsonb returns
``1.2345678901234567e+19`` as ``12345678901234567000``, which is the same
JSON number. A NaN or Infinity the Python SDKs send is stored as null.
"""
import math
from decimal import Decimal
from typing import Any

# Fields enrichment sets on every stored message.
SERVER_FIELDS = {"receivedAt", "timestamp", "originalTimestamp", "version", "sentAt", "context"}


def json_value(value: Any) -> Any:
    """Return ``value`` with every number as a Decimal and NaN or Infinity as None."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, list):
        return [json_value(item) for item in value]
    if isinstance(value, dict):
        return {key: json_value(item) for key, item in value.items()}
    return value


def _merged(batch: dict | None, message: dict, field: str) -> Any:
    own = message.get(field)
    shared = (batch or {}).get(field)
    if isinstance(shared, dict) and shared and (own is None or isinstance(own, dict)):
        return {**shared, **(own or {})}
    return own


def payload_differences(
    sent: dict, stored: dict, batch: dict | None = None, endpoint_type: str | None = None,
) -> list[str]:
    """List how ``stored`` breaks the enrichment rules for ``sent``; empty when it is intact.

    ``batch`` is the batch body ``sent`` arrived in, when known; ``endpoint_type``
    is the type a single-message path sets.
    """
    differences = []

    def compare(field: str, expected: Any, actual: Any) -> None:
        if json_value(expected) != json_value(actual):
            differences.append(f"{field}: sent {expected!r}, stored {actual!r}")

    if "writeKey" in stored:
        differences.append(f"writeKey: stored {stored['writeKey']!r}, expected it removed")
    for field in ("receivedAt", "timestamp"):
        if not isinstance(stored.get(field), str):
            differences.append(f"{field}: stored {stored.get(field)!r}, expected a timestamp string")

    for field, value in sent.items():
        if field == "writeKey":
            continue
        if field == "timestamp":
            compare("originalTimestamp", value, stored.get("originalTimestamp"))
        elif field == "type":
            compare("type", endpoint_type or value, stored.get("type"))
        elif field in ("context", "integrations"):
            continue
        else:
            compare(field, value, stored.get(field, "<missing>"))

    expected_context = _merged(batch, sent, "context") or {}
    stored_context = stored.get("context")
    if isinstance(stored_context, dict) and isinstance(expected_context, dict) and "ip" not in expected_context:
        stored_context = {key: value for key, value in stored_context.items() if key != "ip"}
    compare("context", expected_context, stored_context)
    if "integrations" in sent or (batch or {}).get("integrations"):
        compare("integrations", _merged(batch, sent, "integrations"), stored.get("integrations"))
    if "sentAt" not in sent and batch is not None and "sentAt" in batch:
        compare("sentAt", batch["sentAt"], stored.get("sentAt"))
    if "version" not in sent:
        compare("version", 2, stored.get("version"))

    unexpected = set(stored) - set(sent) - SERVER_FIELDS - {"integrations", "type", "messageId"}
    if unexpected:
        differences.append(f"fields the SDK never sent were stored: {sorted(unexpected)}")
    return differences
