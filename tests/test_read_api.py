"""The read API: staff only, filters, pagination, and refusal of bad parameters."""
import pytest

pytestmark = pytest.mark.django_db


def test_events_need_staff(client, source):
    assert client.get("/api/events/").status_code in (401, 403)


def test_nul_in_query_is_400(client, staff_token, source):
    for url in ("/api/events/?event=a%00b", "/api/events/?source=a%00", "/api/rejections/?source=%00"):
        response = client.get(url, headers={"Authorization": f"Token {staff_token}"})
        assert response.status_code == 400, url
        assert "NUL" in response.content.decode()


def test_unknown_source_is_404(client, staff_token, source):
    response = client.get("/api/events/?source=nope", headers={"Authorization": f"Token {staff_token}"})
    assert response.status_code == 404
    assert response.json()["code"] == "source_not_found"


def test_filters_and_pagination(client, staff_token, post, source):
    for number in range(5):
        post("/v1/track", {"userId": f"u{number}", "event": "Report Exported"})
    post("/v1/page", {"anonymousId": "a1", "name": "Pricing"})
    headers = {"Authorization": f"Token {staff_token}"}
    page = client.get("/api/events/?source=web&limit=2", headers=headers).json()
    assert len(page["results"]) == 2 and page["next"]
    assert page["results"][0]["id"] > page["results"][1]["id"]
    pages = client.get("/api/events/?type=page", headers=headers).json()["results"]
    assert [item["name"] for item in pages] == ["Pricing"]
    assert len(client.get("/api/events/?user=u3", headers=headers).json()["results"]) == 1
    assert len(client.get("/api/events/?event=Report%20Exported", headers=headers).json()["results"]) == 5
    first = min(item["id"] for item in client.get("/api/events/", headers=headers).json()["results"])
    assert len(client.get(f"/api/events/?after_id={first}", headers=headers).json()["results"]) == 5


def test_no_credentials_gets_401_with_fix(client):
    response = client.get("/api/events/")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["code"] == "not_authenticated"
    assert "drf_create_token" in response.json()["message"]


def test_non_staff_token_gets_403_naming_staff(client):
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    user = get_user_model().objects.create_user("viewer", password="viewer-password")
    token = Token.objects.create(user=user)
    response = client.get("/api/events/", headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 403
    assert "staff users" in response.json()["message"]
