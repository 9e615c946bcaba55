"""
Replays what the official SDKs sent, request by request, through Trackside in-process.

Each capture folder contains one client's requests in one scenario (the folder's
README describes the file format). Every ingest request is sent again with its
method, path, headers and raw bytes; each must get 200 and every message in it
must be stored once, intact, with identical retries counted on the original.
The browser folders' CORS preflights and settings fetches are replayed too.
"""
import base64
import json
import os
from collections import Counter
from pathlib import Path

import pytest

from tracker.models import Event, Source

from .payloadkit import payload_differences

CAPTURES_DIR = Path(
    os.environ.get("TRACKSIDE_CAPTURES_DIR", Path(__file__).resolve().parents[2] / "shared" / "captures")
)
SINGLE_PATH_TYPES = {
    "t": "track", "i": "identify", "p": "page", "s": "screen", "g": "group", "a": "alias",
    "track": "track", "identify": "identify", "page": "page", "screen": "screen", "group": "group", "alias": "alias",
}
# Headers the test client sets itself from the body and the content_type argument.
CLIENT_SET_HEADERS = {"content-length", "content-type"}


def capture_folders() -> list[Path]:
    if not CAPTURES_DIR.is_dir():
        return []
    return sorted(folder for folder in CAPTURES_DIR.iterdir() if folder.is_dir())


def load_requests(folder: Path, kind: str) -> list[dict]:
    requests = [json.loads(path.read_text()) for path in sorted(folder.glob("*.json"))]
    return [request for request in requests if request["kind"] == kind]


def header(request: dict, name: str) -> str | None:
    return next((value for key, value in request["headers"] if key.lower() == name.lower()), None)


def raw_body(request: dict) -> bytes:
    if "body_b64" in request:
        return base64.b64decode(request["body_b64"])
    return request.get("body_text", "").encode("utf-8")


def request_write_key(request: dict) -> str:
    """Return the write key the request authenticates with: Basic auth first, else the body's."""
    authorization = header(request, "Authorization") or ""
    if authorization.startswith("Basic "):
        return base64.b64decode(authorization[len("Basic "):]).decode("utf-8").split(":", 1)[0]
    return request["body_json"]["writeKey"]


def sent_messages(request: dict) -> list[tuple[dict, dict | None, str | None]]:
    """Return each message of ``request`` with its batch body (or None) and the type its path sets."""
    body = request["body_json"]
    if "batch" in body:
        return [(message, body, None) for message in body["batch"]]
    return [(body, None, SINGLE_PATH_TYPES[request["path"].rstrip("/").rsplit("/", 1)[-1]])]


def folder_params(kind: str) -> list:
    params = []
    for folder in capture_folders():
        if not load_requests(folder, kind):
            continue
        params.append(pytest.param(folder, id=folder.name))
    return params


def replay(client, request: dict):
    headers = {
        name: value for name, value in request["headers"] if name.lower() not in CLIENT_SET_HEADERS
    }
    content_type = header(request, "Content-Type")
    extra = {} if content_type is not None else {"CONTENT_TYPE": ""}
    return client.generic(
        request["method"], request["path"], data=raw_body(request), content_type=content_type or "",
        headers=headers, **extra,
    )


def make_sources(requests: list[dict]) -> dict[str, Source]:
    keys = sorted({request_write_key(request) for request in requests})
    return {key: Source.objects.create(name=key.lower().replace("_", "-"), write_key=key) for key in keys}


def test_captures_folder_has_ingest_requests():
    assert CAPTURES_DIR.is_dir(), f"{CAPTURES_DIR} is missing: set TRACKSIDE_CAPTURES_DIR to the captures folder"
    with_ingest = [folder for folder in capture_folders() if load_requests(folder, "ingest")]
    assert with_ingest, f"No capture folder in {CAPTURES_DIR} holds an ingest request"


@pytest.mark.django_db
@pytest.mark.parametrize("folder", folder_params("ingest"))
def test_capture_replay_stores_every_message(client, folder):
    requests = load_requests(folder, "ingest")
    sources = make_sources(requests)

    for request in requests:
        response = replay(client, request)
        name = f"{request['method']} {request['path']} (#{request['seq']})"
        assert response.status_code == 200, f"{name}: {response.status_code} {response.content[:300]!r}"
        result = response.json()
        assert result["success"] is True, name
        assert result.get("rejected", []) == [], name

    copies = Counter()
    # The first copy is the one stored; retries may differ in the batch's sentAt.
    first_sent = {}
    for request in requests:
        source = sources[request_write_key(request)]
        for message, batch, endpoint_type in sent_messages(request):
            key = (source.pk, message["messageId"])
            copies[key] += 1
            first_sent.setdefault(key, (message, batch, endpoint_type))

    assert Event.objects.count() == len(copies)
    for (source_id, message_id), (message, batch, endpoint_type) in first_sent.items():
        event = Event.objects.get(source_id=source_id, message_id=message_id)
        assert payload_differences(message, event.payload, batch, endpoint_type) == [], message_id
        assert event.duplicate_count == copies[(source_id, message_id)] - 1, message_id


@pytest.mark.django_db
@pytest.mark.parametrize("folder", folder_params("cors-preflight"))
def test_capture_preflight_allows_request(client, folder):
    for request in load_requests(folder, "cors-preflight"):
        response = replay(client, request)
        name = f"OPTIONS {request['path']} (#{request['seq']})"
        assert response.status_code in (200, 204), f"{name}: {response.status_code}"
        assert response["Access-Control-Allow-Origin"] == header(request, "Origin"), name
        assert "POST" in response["Access-Control-Allow-Methods"], name
        allowed = {value.strip().lower() for value in response["Access-Control-Allow-Headers"].split(",")}
        requested = {value.strip().lower() for value in header(request, "Access-Control-Request-Headers").split(",")}
        assert requested <= allowed, name


@pytest.mark.django_db
@pytest.mark.parametrize("folder", folder_params("cdn-settings"))
def test_capture_settings_point_back_here(client, folder):
    for request in load_requests(folder, "cdn-settings"):
        write_key = request["path"].split("/")[3]
        Source.objects.get_or_create(name=write_key.lower().replace("_", "-"), write_key=write_key)
        response = replay(client, request)
        name = f"GET {request['path']} (#{request['seq']})"
        assert response.status_code == 200, f"{name}: {response.status_code} {response.content[:300]!r}"
        segment = response.json()["integrations"]["Segment.io"]
        assert segment["apiHost"] == header(request, "Host") + "/v1", name
        assert segment["protocol"] == "http", name
        assert segment["apiKey"] == write_key, name
        assert response["Access-Control-Allow-Origin"] == header(request, "Origin"), name
