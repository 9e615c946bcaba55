"""Write key authentication of the ingest endpoints."""
import base64
import logging

import pytest

from tracker.api import writekeys
from tracker.models import Event, Rejection

from .conftest import basic_auth

pytestmark = pytest.mark.django_db

TRACK = {"userId": "u_1", "event": "Order Completed"}


def test_basic_auth_with_colon(post, source):
    assert post("/v1/track", TRACK).status_code == 200
    assert Event.objects.filter(source=source).count() == 1


def test_basic_auth_without_colon(post, source):
    header = "Basic " + base64.b64encode(b"wk_web").decode()
    assert post("/v1/track", TRACK, write_key=None, Authorization=header).status_code == 200


def test_write_key_in_body(post, source):
    response = post("/v1/track", {**TRACK, "writeKey": "wk_web"}, write_key=None)
    assert response.status_code == 200
    stored = Event.objects.get(source=source)
    assert "writeKey" not in stored.payload


def test_write_key_in_batch_body(post, source):
    body = {"writeKey": "wk_web", "batch": [{"type": "track", **TRACK}]}
    assert post("/v1/batch", body, write_key=None).status_code == 200


def test_bearer_token_with_body_key(post, source):
    response = post("/v1/track", {**TRACK, "writeKey": "wk_web"}, write_key=None, Authorization="Bearer some-oauth-token")
    assert response.status_code == 200
    assert Event.objects.filter(source=source).count() == 1


def test_missing_key_is_401_with_json(post, source):
    response = post("/v1/track", TRACK, write_key=None)
    assert response.status_code == 401
    assert response.json()["code"] == "write_key_missing"
    assert "writeKey" in response.json()["message"]
    assert Event.objects.count() == 0


@pytest.mark.parametrize("key, kind", [(5, "number"), (["wk_web"], "array"), (True, "boolean")])
def test_non_string_body_key_is_401_naming_type(post, source, key, kind):
    response = post("/v1/track", {**TRACK, "writeKey": key}, write_key=None)
    assert response.status_code == 401
    assert response.json()["code"] == "write_key_malformed"
    assert f'"writeKey" is {kind}, not a string' in response.json()["message"]
    assert Event.objects.count() == 0


def test_header_key_wins_over_non_string_body_key(post, source):
    response = post("/v1/track", {**TRACK, "writeKey": 5})
    assert response.status_code == 200
    assert Event.objects.filter(source=source).count() == 1


def test_unknown_key_is_401_and_logged_once(post, source, caplog):
    caplog.set_level(logging.WARNING, logger="tracker.security")
    writekeys._last_unknown_log = 0.0
    for _ in range(3):
        response = post("/v1/track", TRACK, write_key="nope")
        assert response.status_code == 401
        assert response.json()["code"] == "write_key_unknown"
    assert Event.objects.count() == 0
    assert Rejection.objects.count() == 0
    assert len([r for r in caplog.records if r.name == "tracker.security"]) == 1


def test_malformed_basic_header_is_401(post, source):
    response = post("/v1/track", TRACK, write_key=None, Authorization="Basic %%%")
    assert response.status_code == 401
    assert response.json()["code"] == "write_key_malformed"


def test_disabled_source_is_403_and_stores_nothing(post, make_source, broadcasts):
    make_source("off", "wk_off", enabled=False)
    response = post("/v1/track", TRACK, write_key="wk_off")
    assert response.status_code == 403
    assert response.json()["code"] == "source_disabled"
    assert Event.objects.count() == 0
    assert broadcasts == []


def test_header_wins_over_body_key_with_warning(post, source, make_source):
    make_source("mobile", "wk_mobile")
    response = post("/v1/batch", {"writeKey": "wk_mobile", "batch": [{"type": "track", **TRACK}]})
    assert response.status_code == 200
    event = Event.objects.get()
    assert event.source == source
    conflict = [p for p in event.problems if p["code"] == "write_key_conflict"]
    assert len(conflict) == 1
    assert '"web"' in conflict[0]["message"] and '"mobile"' in conflict[0]["message"]


def test_same_key_in_header_and_body_is_no_conflict(post, source):
    post("/v1/track", {**TRACK, "writeKey": "wk_web"})
    assert not [p for p in Event.objects.get().problems if p["code"] == "write_key_conflict"]


def test_bad_body_with_header_key_is_kept_as_rejection(post, source, broadcasts):
    response = post("/v1/track", b"{not json", content_type="text/plain")
    assert response.status_code == 400
    rejection = Rejection.objects.get(source=source)
    assert rejection.code == "invalid_json"
    assert rejection.index is None
    assert rejection.head == "{not json"
    assert len(broadcasts) == 1
    assert Event.objects.count() == 0


def test_bad_body_with_unknown_source_is_not_kept(client, source):
    response = client.generic("POST", "/v1/track", data=b"{not json", content_type="text/plain")
    assert response.status_code == 400
    assert Rejection.objects.count() == 0


def test_write_key_cache_sees_disabled_source_after_admin_save(post, source):
    assert post("/v1/track", TRACK).status_code == 200
    source.enabled = False
    source.save()
    writekeys.forget_cached_keys()
    assert post("/v1/track", TRACK).status_code == 403


def test_basic_auth_helper_matches_segment_docs():
    # Segment's HTTP API documentation: abc123 with a colon encodes to YWJjMTIzOg==.
    assert basic_auth("abc123") == "Basic YWJjMTIzOg=="
