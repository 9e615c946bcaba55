"""The admin: sources with write keys, events and rejections, read-only and escaped."""
import pytest
from django.contrib.auth import get_user_model

from tracker.models import Event, Rejection

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = get_user_model().objects.create_superuser("boss", "", "pw-boss-123")
    client.force_login(user)
    return client


def test_source_list_shows_write_keys(admin_client, source):
    page = admin_client.get("/admin/tracker/source/").content.decode()
    assert "wk_web" in page


def test_event_list_filters_and_search(admin_client, post, source):
    post("/v1/track", {"userId": "u_find_me", "event": "Report Exported"})
    post("/v1/track", {"userId": "u_other", "properties": "not an object"})
    page = admin_client.get("/admin/tracker/event/?q=u_find_me").content.decode()
    assert "Report Exported" in page and "u_other" not in page
    errors = admin_client.get("/admin/tracker/event/?problems=error").content.decode()
    assert "u_other" in errors and "u_find_me" not in errors
    for query in ("source__id__exact=%d" % source.pk, "type__exact=track", "problems=yes", "problems=no"):
        assert admin_client.get(f"/admin/tracker/event/?{query}").status_code == 200


def test_event_page_shows_payload_escaped_and_read_only(admin_client, post, source):
    post("/v1/track", {"userId": "u_1", "event": "<img src=x onerror=alert(1)>", "properties": {"<b>k</b>": "v"}})
    event = Event.objects.get()
    response = admin_client.get(f"/admin/tracker/event/{event.pk}/change/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "<img src=x onerror" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert 'name="payload"' not in page
    assert admin_client.post(f"/admin/tracker/event/{event.pk}/change/", {}).status_code == 403


def test_rejection_list(admin_client, post, source):
    post("/v1/track", b"{broken")
    assert Rejection.objects.count() == 1
    page = admin_client.get("/admin/tracker/rejection/").content.decode()
    assert "invalid_json" in page


def test_revalidate_action(admin_client, post, source):
    post("/v1/track", {"userId": "u_1", "event": "Report Exported"})
    event = Event.objects.get()
    Event.objects.filter(pk=event.pk).update(problems=[], problem_count=0)
    response = admin_client.post("/admin/tracker/event/", {
        "action": "revalidate_events", "_selected_action": [event.pk],
    }, follow=True)
    assert response.status_code == 200
    assert "Revalidated 1 events" in response.content.decode()
