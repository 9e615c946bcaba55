"""
The OpenAPI description at /api/schema/, and a schemathesis run over every
endpoint in it: generated requests, valid and invalid, must never get a 5xx.
"""
import os

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from .conftest import basic_auth

MAX_EXAMPLES = int(os.environ.get("TRACKSIDE_SCHEMATHESIS_EXAMPLES", "20"))


# Serving the schema touches no database, so it can be loaded at collection time.
schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


@pytest.fixture
def keep_test_connection():
    """Keep Django from closing the test's connection around each WSGI request.

    schemathesis calls the WSGI application directly, so unlike Django's test
    client nothing disconnects close_old_connections, which would close the
    connection (and its test transaction) when CONN_MAX_AGE is 0.
    """
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.usefixtures("keep_test_connection")
@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_no_server_errors(case, source, staff_token):
    if case.path.startswith("/v1/"):
        headers = {"Authorization": basic_auth("wk_web")}
    else:
        headers = {"Authorization": f"Token {staff_token}"}
    response = case.call(headers=headers)
    assert response.status_code < 500, f"{case.method} {case.path}: {response.status_code} {response.text[:500]}"


@pytest.mark.django_db
def test_schema_lists_every_ingest_path(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    paths = response.json()["paths"]
    for path in ("track", "identify", "page", "screen", "group", "alias", "batch", "import",
                 "t", "i", "p", "s", "g", "a", "b"):
        assert f"/v1/{path}" in paths
    assert "/api/events/" in paths
    assert "/api/rejections/" in paths
