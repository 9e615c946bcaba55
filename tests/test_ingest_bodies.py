"""Bodies: content types, encodings, size limits and what the 200 body reports."""
import gzip
import json
import zlib

import pytest
from django.test import override_settings

from tracker.models import Event, Rejection

pytestmark = pytest.mark.django_db

TRACK = {"userId": "u_1", "event": "Order Completed"}


@pytest.mark.parametrize("content_type", [
    "application/json", "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
    "application/octet-stream", "",
])
def test_every_content_type_is_json(post, source, content_type):
    response = post("/v1/track", TRACK, content_type=content_type)
    assert response.status_code == 200
    assert Event.objects.get().payload["event"] == "Order Completed"


def test_no_content_type_header_at_all(client, source):
    from .conftest import basic_auth

    response = client.generic(
        "POST", "/v1/t", data=json.dumps(TRACK), content_type="",
        headers={"Authorization": basic_auth("wk_web")}, CONTENT_TYPE="",
    )
    assert response.status_code == 200


@pytest.mark.parametrize("encoding, compress", [
    ("gzip", gzip.compress),
    ("x-gzip", gzip.compress),
    ("deflate", zlib.compress),
    ("deflate", lambda data: zlib.compress(data)[2:-4]),  # raw deflate, as some clients send
])
def test_compressed_bodies_are_inflated(post, source, encoding, compress):
    body = compress(json.dumps({"batch": [{"type": "track", **TRACK}]}).encode())
    response = post("/v1/batch", body, **{"Content-Encoding": encoding})
    assert response.status_code == 200, response.content
    assert Event.objects.count() == 1


def test_concatenated_gzip_members_are_one_body(post, source):
    text = json.dumps({"batch": [{"type": "track", **TRACK}]}).encode()
    body = gzip.compress(text[:10]) + gzip.compress(text[10:])
    assert post("/v1/batch", body, **{"Content-Encoding": "gzip"}).status_code == 200


def test_unknown_encoding_is_415_and_kept(post, source):
    response = post("/v1/batch", b"\x28\xb5\x2f\xfd", **{"Content-Encoding": "br"})
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_encoding"
    assert "'br'" in response.json()["message"]
    assert Rejection.objects.get().code == "unsupported_encoding"


def test_corrupt_gzip_is_400(post, source):
    response = post("/v1/batch", b"\x1f\x8b\x08\x00garbage", **{"Content-Encoding": "gzip"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_encoding"


def test_gzip_bomb_stops_at_the_limit(post, source):
    bomb = gzip.compress(b'{"batch":[' + b" " * 50_000_000 + b"]}")
    assert len(bomb) < 100_000
    response = post("/v1/batch", bomb, **{"Content-Encoding": "gzip"})
    assert response.status_code == 413
    assert response.json()["size"] == "more than 512000"
    assert "more than 512000 bytes" in response.json()["message"]
    assert Event.objects.count() == 0


def test_single_message_over_32kb_is_413(post, source):
    body = json.dumps({**TRACK, "properties": {"pad": "x" * 33_000}})
    response = post("/v1/track", body)
    assert response.status_code == 413
    data = response.json()
    assert data["limit"] == 32768
    assert data["size"] == len(body)
    assert str(len(body)) in data["message"]


def test_batch_over_500kb_is_413(post, source):
    body = json.dumps({"batch": [{"type": "track", **TRACK, "properties": {"pad": "x" * 20_000}}] * 26})
    response = post("/v1/batch", body)
    assert response.status_code == 413
    assert response.json()["limit"] == 512000
    assert Event.objects.count() == 0


def test_batch_over_2500_messages_is_413(post, source):
    body = json.dumps({"batch": [{"type": "track", "userId": "u"}] * 2501})
    response = post("/v1/batch", body)
    assert response.status_code == 413
    assert response.json()["code"] == "too_many_messages"
    assert response.json()["count"] == 2501
    assert Event.objects.count() == 0


@override_settings(TRACKSIDE={"MAX_BATCH_MESSAGES": 3})
def test_batch_limit_is_configurable(post, source):
    body = json.dumps({"batch": [{"type": "track", **TRACK}] * 4})
    assert post("/v1/batch", body).status_code == 413


def test_one_oversize_message_in_batch_is_rejected_by_index(post, source):
    body = json.dumps({"batch": [
        {"type": "track", **TRACK},
        {"type": "track", **TRACK, "properties": {"pad": "x" * 40_000}},
        {"type": "track", **TRACK, "event": "Report Exported"},
    ]})
    response = post("/v1/batch", body)
    assert response.status_code == 200
    data = response.json()
    assert [r["index"] for r in data["rejected"]] == [1]
    assert data["rejected"][0]["code"] == "message_too_large"
    assert Event.objects.count() == 2
    rejection = Rejection.objects.get()
    assert rejection.index == 1 and rejection.size > 32768


@pytest.mark.parametrize("item, kind", [(5, "number"), ("text", "string"), ([1], "array"), (None, "null")])
def test_non_object_batch_items_are_rejected(post, source, item, kind):
    response = post("/v1/batch", {"batch": [{"type": "track", **TRACK}, item]})
    data = response.json()
    assert response.status_code == 200
    assert data["rejected"][0]["code"] == "message_not_object"
    assert f"JSON {kind}" in data["rejected"][0]["message"]
    assert Event.objects.count() == 1


@pytest.mark.parametrize("body, code", [
    ({"batch": {"type": "track"}}, "batch_not_list"),
    ({"messages": []}, "batch_not_list"),
    ([TRACK], "body_not_object"),
    ("just text", "body_not_object"),
])
def test_batch_shape_errors_are_400(post, source, body, code):
    response = post("/v1/batch", json.dumps(body))
    assert response.status_code == 400
    assert response.json()["code"] == code
    assert Event.objects.count() == 0


def test_batch_of_wrong_type_names_json_type(post, source):
    response = post("/v1/batch", json.dumps({"batch": {"type": "track"}}))
    assert response.json()["message"].startswith('The body\'s "batch" is not an array but object.')


def test_empty_body_is_400(post, source):
    response = post("/v1/track", b"")
    assert response.status_code == 400
    assert response.json()["code"] == "empty_body"


def test_clean_batch_answers_success_only(post, source):
    response = post("/v1/batch", {"batch": [{"type": "track", **TRACK}]})
    assert response.json() == {"success": True}


def test_problem_list_on_single_path_uses_index_zero(post, source):
    response = post("/v1/t", {"userId": "u_1"})
    data = response.json()
    assert data["success"] is True
    assert data["rejected"] == []
    assert {(p["index"], p["code"], p["path"]) for p in data["problems"]} == {(0, "event_missing", "event")}


def test_warnings_are_not_listed_in_the_200_body(post, source):
    response = post("/v1/track", {"userId": "u_1", "event": "Report Exported", "properties": None})
    assert response.json() == {"success": True}
    assert Event.objects.get().problem_count == 1


@pytest.mark.parametrize("path, kind", [
    ("/v1/track", "track"), ("/v1/t", "track"), ("/v1/identify", "identify"), ("/v1/i", "identify"),
    ("/v1/page", "page"), ("/v1/p", "page"), ("/v1/screen", "screen"), ("/v1/s", "screen"),
    ("/v1/group", "group"), ("/v1/g", "group"), ("/v1/alias", "alias"), ("/v1/a", "alias"),
])
def test_single_paths_set_the_type(post, source, path, kind):
    assert post(path, {"userId": "u_1"}).status_code == 200
    assert Event.objects.get().type == kind


def test_body_type_that_disagrees_is_overruled_with_warning(post, source):
    post("/v1/track", {**TRACK, "type": "identify"})
    event = Event.objects.get()
    assert event.type == "track"
    assert event.payload["type"] == "track"
    mismatch = [p for p in event.problems if p["code"] == "type_mismatch"]
    assert mismatch and "'identify'" in mismatch[0]["message"]


@pytest.mark.parametrize("path", ["/v1/batch", "/v1/b", "/v1/import"])
def test_batch_paths_store_every_type(post, source, path):
    batch = [{"type": kind, "userId": "u_1"} for kind in ("track", "identify", "page", "screen", "group", "alias")]
    assert post(path, {"batch": batch}).status_code == 200
    assert sorted(Event.objects.values_list("type", flat=True)) == sorted(b["type"] for b in batch)


def test_metrics_path_stores_nothing(client, source):
    response = client.post("/v1/m", data='{"series":[]}', content_type="text/plain")
    assert response.status_code == 200
    assert Event.objects.count() == 0


def test_cors_preflight(client):
    response = client.options("/v1/t", headers={
        "Origin": "https://shop.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    })
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "https://shop.example"
    assert "authorization" in response["Access-Control-Allow-Headers"]
    assert "Retry-After" in response["Access-Control-Expose-Headers"]
    assert "X-RateLimit-Reset" in response["Access-Control-Expose-Headers"]


def test_cors_headers_on_answers(post, source):
    response = post("/v1/t", TRACK, Origin="https://shop.example")
    assert response["Access-Control-Allow-Origin"] == "https://shop.example"
    assert response["Access-Control-Expose-Headers"] == "Retry-After, X-RateLimit-Reset"


def test_no_cors_headers_outside_ingest(client, db):
    response = client.get("/debugger/problems/", headers={"Origin": "https://shop.example"})
    assert "Access-Control-Allow-Origin" not in response


@override_settings(TRACKSIDE={"RATE_LIMIT": "2/m"})
def test_rate_limit_is_429_with_retry_headers(post, source):
    from django.core.cache import cache

    cache.clear()
    assert post("/v1/t", TRACK).status_code == 200
    assert post("/v1/t", TRACK).status_code == 200
    response = post("/v1/t", TRACK)
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    assert int(response["X-RateLimit-Reset"]) > 0
    assert Event.objects.count() == 2
    cache.clear()


@pytest.mark.parametrize("path, kind", [("/t", "track"), ("/i", "identify"), ("/p", "page"), ("/a", "alias")])
def test_short_paths_at_the_root(post, source, path, kind):
    assert post(path, {"userId": "u_1"}, Origin="https://shop.example").status_code == 200
    assert Event.objects.get().type == kind


def test_root_batch_path_and_preflight(client, post, source):
    assert post("/b", {"batch": [{"type": "track", **TRACK}]}).status_code == 200
    preflight = client.options("/t", headers={"Origin": "https://a.example", "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "https://a.example"


def test_analytics_js_not_configured_is_a_script_404(client, source):
    response = client.get("/analytics.js/v1/wk_web/analytics.min.js")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/javascript")
    assert b"TRACKSIDE_ANALYTICS_JS_FILE" in response.content


def test_analytics_js_served_when_configured(client, source, tmp_path):
    script = tmp_path / "standalone.js"
    script.write_text("window.loaded = true;")
    with override_settings(TRACKSIDE={"ANALYTICS_JS_FILE": str(script)}):
        response = client.get("/analytics.js/v1/wk_web/analytics.min.js")
        unknown = client.get("/analytics.js/v1/nope/analytics.min.js")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"window.loaded = true;"
    assert unknown.status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "delete"])
def test_other_methods_get_405_naming_post(client, source, method):
    response = getattr(client, method)("/v1/track")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert response.json()["message"].endswith("Use POST.")
    assert Event.objects.count() == 0
