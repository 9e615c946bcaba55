"""The debugger's pages and the read API parts the page relies on: access, headers, config."""
import json
import re

import pytest
from django.contrib.auth import get_user_model

from debugger.csp import POLICY

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.fixture
def stored(post, source, api):
    post("/v1/batch", {"batch": [
        {"type": "track", "userId": "u_1", "event": "Order Completed", "properties": {"revenue": "25.50", "id": 2**70}},
        {"type": "track", "userId": "u_1", "event": "<img src=x onerror=alert(1)>", "properties": {}},
    ]})
    return api("/api/events/?source=web")


def json_script(html: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html, re.S)
    assert match, f"no json_script with id {element_id}"
    return json.loads(match.group(1))


@pytest.mark.parametrize("path", ["/debugger/", "/debugger/events/1/"])
def test_pages_redirect_anonymous_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_page_redirects_non_staff(client):
    user = get_user_model().objects.create_user("visitor", password="pw-12345-x")
    client.force_login(user)
    response = client.get("/debugger/")
    assert response.status_code == 302


@pytest.mark.parametrize("path", ["/api/events/", "/api/events/1/", "/api/rejections/"])
def test_read_api_rejects_anonymous(client, path):
    assert client.get(path).status_code in (401, 403)


def test_live_page_config(staff_client, source):
    response = staff_client.get("/debugger/?source=web&severity=error")
    html = response.content.decode()
    config = json_script(html, "debugger-config")
    assert response.status_code == 200
    assert config["writeKeys"] == {"web": "wk_web"}
    assert 100 <= config["rows"] <= 500
    assert '<option value="web" selected>' in html
    assert '<option value="error" selected>' in html
    assert 'type="module"' in html


def test_live_page_ignores_bad_filter(staff_client, source):
    response = staff_client.get("/debugger/?severity=fatal")
    assert response.status_code == 200


@pytest.mark.parametrize("path", ["/debugger/", "/debugger/problems/"])
def test_pages_send_content_security_policy(staff_client, path):
    response = staff_client.get(path)
    assert response["Content-Security-Policy"] == POLICY
    assert "script-src 'self'" in POLICY
    assert "'unsafe-inline'" not in POLICY


def test_permalink_embeds_exact_item(staff_client, stored):
    event = next(item for item in stored if item["name"] == "Order Completed")
    response = staff_client.get(f"/debugger/events/{event['id']}/")
    html = response.content.decode()
    embedded = json_script(html, "event-item")

    assert response.status_code == 200
    assert isinstance(embedded, str), "the item is JSON text inside a JSON string"
    assert str(2**70) in embedded
    assert json.loads(embedded) == event
    assert response["Content-Security-Policy"] == POLICY


def test_permalink_escapes_markup(staff_client, stored):
    event = next(item for item in stored if item["name"].startswith("<img"))
    html = staff_client.get(f"/debugger/events/{event['id']}/").content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_permalink_of_missing_event_is_404(staff_client, source):
    assert staff_client.get("/debugger/events/999999/").status_code == 404


def test_read_api_before_id(api, stored):
    ids = sorted(item["id"] for item in stored)
    between = api(f"/api/events/?after_id={ids[0] - 1}&before_id={ids[1]}")
    assert [item["id"] for item in between] == [ids[0]]


def test_read_api_rejects_bad_before_id(client, staff_token):
    response = client.get("/api/events/?before_id=abc", headers={"Authorization": f"Token {staff_token}"})
    assert response.status_code == 400
    assert "before_id" in response.content.decode()
    assert "'abc'" in response.content.decode()
