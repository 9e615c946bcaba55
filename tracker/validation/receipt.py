"""
Problems only known on receipt: what the parse had to change, which path the
message came in on, which write keys it carried, whether its messageId was
seen before. Revalidation keeps these as stored (stage "ingest").
"""
from .paths import Path, format_path
from .problems import Problem
from .rules import register

CONCERN = "receipt"

non_finite_number = register(
    code="non_finite_number",
    severity="error",
    concern=CONCERN,
    stage="ingest",
    title="NaN or Infinity is not JSON",
    explanation=(
        "JSON has no NaN or Infinity. Python SDKs write a float NaN or infinity as a bare token, which strict "
        "parsers reject along with the whole batch. Trackside stores the value as null and keeps the message's "
        "original bytes."
    ),
    fix="Replace NaN and infinite numbers with null, or leave the property out, before tracking.",
    bad={"type": "track", "userId": "u_1", "event": "Flight Logged", "properties": {"ratio": "NaN (bare token)"}},
    good={"type": "track", "userId": "u_1", "event": "Flight Logged", "properties": {"ratio": None}},
)
unstorable_text = register(
    code="unstorable_text",
    severity="warning",
    concern=CONCERN,
    stage="ingest",
    title="Text a database cannot store",
    explanation=(
        "The NUL character (U+0000) and half of a surrogate pair (a string cut inside an emoji) cannot be stored "
        "by PostgreSQL. Trackside replaces them with U+FFFD and keeps the message's original bytes beside it."
    ),
    fix="Strip NUL characters and cut strings on character boundaries, not in the middle of an emoji.",
    bad={"type": "identify", "userId": "u_1", "traits": {"email": "\\u0000 (escaped NUL)"}},
    good={"type": "identify", "userId": "u_1", "traits": {"email": "ada@example.com"}},
)
type_mismatch = register(
    code="type_mismatch",
    severity="warning",
    concern=CONCERN,
    stage="ingest",
    title="Body type disagrees with the endpoint",
    explanation="A single-message endpoint such as /v1/track sets the message type. A different type in the body is overruled, and this warning keeps the value that was sent.",
    fix="Post each call to its own endpoint, or send mixed calls to /v1/batch.",
    bad={"type": "identify", "userId": "u_1", "event": "Signed Up", "endpoint": "/v1/track"},
    good={"type": "track", "userId": "u_1", "event": "Signed Up", "endpoint": "/v1/track"},
)
write_key_conflict = register(
    code="write_key_conflict",
    severity="warning",
    concern=CONCERN,
    stage="ingest",
    title="Two write keys in one request",
    explanation="The Authorization header and the body's writeKey name different sources. The header wins and the message is stored under its source.",
    fix="Send one write key, or make both name the same source.",
    bad={"type": "track", "userId": "u_1", "event": "Signed Up", "writeKey": "key-of-another-source"},
    good={"type": "track", "userId": "u_1", "event": "Signed Up"},
)
message_id_reused = register(
    code="message_id_reused",
    severity="warning",
    concern=CONCERN,
    stage="ingest",
    title="messageId reused with other content",
    explanation=(
        "An earlier message of this source had the same messageId but different content. Segment deduplicates on "
        "messageId and would drop this one silently; Trackside stores it and flags it. Identical retries are not "
        "stored again but counted on the original."
    ),
    fix="Generate a new messageId (a UUID) for every new message; reuse one only when retrying the same message.",
    bad={"type": "track", "userId": "u_1", "event": "Plan Downgraded", "messageId": "id-already-used"},
    good={"type": "track", "userId": "u_1", "event": "Plan Downgraded", "messageId": "a-fresh-uuid"},
    reference="Segment: duplicate data guide",
)


def problem_from_note(path: Path, kind: str, detail: str) -> Problem:
    """Turn a parse note (see tracker.ingest.parsing) into a problem at ``path``."""
    where = format_path(path)
    if kind == "non_finite_number":
        return non_finite_number.problem(
            where,
            f"{where or 'The value'} was the bare token {detail}, which is not JSON; it is stored as null. "
            + non_finite_number.fix,
        )
    if kind == "unstorable_key":
        return unstorable_text.problem(
            where,
            f"The key at {where} contained {detail}, which databases cannot store; each was replaced with U+FFFD "
            "and the original bytes were kept. " + unstorable_text.fix,
        )
    return unstorable_text.problem(
        where,
        f"{where or 'The value'} contained {detail}, which databases cannot store; each was replaced with U+FFFD "
        "and the original bytes were kept. " + unstorable_text.fix,
    )
