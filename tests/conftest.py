import base64
import json

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from tracker.api import writekeys
from tracker.models import Source


@pytest.fixture(autouse=True)
def fresh_write_key_cache():
    """Write key lookups are cached per process; tests must not see each other's sources."""
    writekeys.forget_cached_keys()
    yield
    writekeys.forget_cached_keys()


@pytest.fixture
def make_source(db):
    def make(name: str = "web", write_key: str | None = None, **fields) -> Source:
        return Source.objects.create(name=name, write_key=write_key or f"key-{name}", **fields)

    return make


@pytest.fixture
def source(make_source) -> Source:
    return make_source("web", "wk_web")


@pytest.fixture
def staff_user(db):
    return get_user_model().objects.create_user("staff", password="pw-staff-123", is_staff=True)


@pytest.fixture
def staff_token(staff_user) -> str:
    return Token.objects.create(user=staff_user).key


def basic_auth(write_key: str) -> str:
    return "Basic " + base64.b64encode(f"{write_key}:".encode()).decode()


@pytest.fixture
def post(client):
    """POST raw bytes to an ingest path, the way an SDK would."""

    def send(
        path: str, body, write_key: str | None = "wk_web", content_type: str = "application/json",
        meta: dict | None = None, **headers,
    ):
        if not isinstance(body, (bytes, str)):
            body = json.dumps(body)
        if write_key is not None:
            headers.setdefault("Authorization", basic_auth(write_key))
        return client.generic("POST", path, data=body, content_type=content_type, headers=headers, **(meta or {}))

    return send


@pytest.fixture
def api(client, staff_token):
    """GET a read API URL as staff; follows ``next`` and returns every result of a list."""

    def get_all(url: str) -> list[dict]:
        results = []
        while url:
            response = client.get(url, headers={"Authorization": f"Token {staff_token}"})
            assert response.status_code == 200, response.content
            data = response.json()
            results.extend(data["results"])
            url = data["next"]
        return results

    return get_all


@pytest.fixture(scope="session")
def live_server_process(tmp_path_factory):
    """A Trackside server run by Daphne in a subprocess, shared by the live tests."""
    from . import live

    server = live.start_server(tmp_path_factory.mktemp("live"))
    yield server
    live.stop_server(server)


@pytest.fixture
def broadcasts(monkeypatch):
    """Record what ingest broadcasts to the debugger: one list of batches per committed group."""
    from tracker.ingest import service

    sent = []
    monkeypatch.setattr(service, "broadcast_batches", lambda batches: sent.append(batches))
    return sent


@pytest.fixture(scope="session", autouse=True)
def close_sync_thread_connections():
    """Close the database connections of asgiref's shared sync thread after the run.

    Async tests reach the database on that thread (commits, consumers'
    queries); its connections would outlive the test database and keep
    PostgreSQL from dropping it.
    """
    yield
    from asgiref.sync import SyncToAsync
    from django.db import connections

    SyncToAsync.single_thread_executor.submit(connections.close_all).result(timeout=30)
