"""
The real-world cases of the shared cases folder, one test per file and way in.

Each case also runs through the other ways in that its fault must survive:
text/plain bodies, analytics.js's short paths and gzip, so a fix that only
covers the case's own request fails here.
"""
import gzip

import pytest

from . import casekit
from .conftest import basic_auth

SHORT_PATHS = {
    "/v1/track": "/v1/t", "/v1/identify": "/v1/i", "/v1/page": "/v1/p", "/v1/screen": "/v1/s",
    "/v1/group": "/v1/g", "/v1/alias": "/v1/a", "/v1/batch": "/v1/b",
}


def variants(case: dict) -> list[str]:
    names = ["as-sent"]
    requests = case["requests"]
    if any(r.get("headers", {}).get("Content-Type") == "application/json" for r in requests):
        names.append("text-plain")
    if any(r["path"] in SHORT_PATHS for r in requests):
        names.append("short-path")
    encoded = any("Content-Encoding" in r.get("headers", {}) for r in requests)
    sizes_checked = "BODY_BYTES" in str([r["expect"] for r in requests])
    if not encoded and not sizes_checked:
        names.append("gzip")
    return names


def load_params():
    params = []
    for path in casekit.case_files():
        case = casekit.json.loads(path.read_text())
        for variant in variants(case):
            params.append(pytest.param(case, variant, id=f"{case['id']}-{variant}"))
    return params


def send(client, request: dict, variant: str, values: dict, repetition: int):
    values = {**values, "R": str(repetition)}
    body = casekit.build_body(request, values)
    headers = {name: casekit.fill(value, values) for name, value in request.get("headers", {}).items()}
    path = request["path"]
    if variant == "text-plain" and headers.get("Content-Type") == "application/json":
        headers["Content-Type"] = "text/plain;charset=UTF-8"
    elif variant == "short-path":
        path = SHORT_PATHS.get(path, path)
    elif variant == "gzip" and body:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    content_type = headers.pop("Content-Type", None)
    extra = {} if content_type is not None else {"CONTENT_TYPE": ""}
    response = client.generic(
        request["method"], path, data=body, content_type=content_type or "", headers=headers, **extra
    )
    return response, len(body)


@pytest.mark.django_db
@pytest.mark.parametrize(("case", "variant"), load_params())
def test_case(case, variant, client, make_source, api):
    keys = casekit.Keys(write_key=f"wk-{case['id']}")
    make_source(case["id"], keys.write_key)
    if casekit.uses_second_source(case):
        keys.write_key_2 = f"wk2-{case['id']}"
        make_source(case["id"] + "-2", keys.write_key_2)
    values = keys.placeholders()

    failures = []
    for number, request in enumerate(case["requests"]):
        for repetition in range(request.get("repeat", 1)):
            response, size = send(client, request, variant, values, repetition)
            for failure in casekit.check_response(response.status_code, response.content, request["expect"], size):
                failures.append(f"request {number} #{repetition}: {failure}")

    events = api(f"/api/events/?source={case['id']}&limit=1000")
    rejections = api(f"/api/rejections/?source={case['id']}")
    failures += casekit.check_stored(events, rejections, case["expect_after"])
    if "expect_after_second_source" in case:
        second = api(f"/api/events/?source={case['id']}-2&limit=1000")
        failures += [f"second source: {f}" for f in casekit.check_stored(second, [], case["expect_after_second_source"])]
    assert not failures, "\n".join(failures)


def test_cases_folder_found():
    assert casekit.case_files(), f"No cases in {casekit.CASES_DIR}; set TRACKSIDE_CASES_DIR"


def test_basic_auth_helper():
    assert basic_auth("abc123") == "Basic YWJjMTIzOg=="
