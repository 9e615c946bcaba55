"""Who may open the debugger websocket: active staff only, from an allowed origin."""
import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.test import Client
from rest_framework.authtoken.models import Token

from .debuggerkit import DebuggerClient, post_batch, track, ws_headers

pytestmark = pytest.mark.django_db(transaction=True)


@sync_to_async
def make_token(username: str, **fields) -> str:
    user = get_user_model().objects.create_user(username, password="pw-12345-x", **fields)
    return Token.objects.create(user=user).key


async def connect(headers) -> tuple[bool, object]:
    client = DebuggerClient(headers)
    connected, detail = await client.connect()
    if connected:
        await client.close()
    return connected, detail


async def test_anonymous_rejected():
    connected, code = await connect(ws_headers())
    assert not connected
    assert code == 4403


async def test_non_staff_token_rejected():
    token = await make_token("visitor")
    connected, code = await connect(ws_headers(token))
    assert not connected
    assert code == 4403


async def test_inactive_staff_rejected():
    token = await make_token("former", is_staff=True, is_active=False)
    connected, code = await connect(ws_headers(token))
    assert not connected
    assert code == 4403


async def test_unknown_token_rejected():
    connected, code = await connect(ws_headers("not-a-real-token"))
    assert not connected
    assert code == 4403


async def test_staff_token_accepted(staff_token):
    client = DebuggerClient(ws_headers(staff_token))
    connected, _ = await client.connect()
    assert connected
    assert client.hello["type"] == "hello"
    assert client.hello["user"] == "staff"
    await client.close()


async def test_staff_session_cookie_accepted(staff_user):
    browser = Client()
    await sync_to_async(browser.force_login)(staff_user)
    cookie = f"sessionid={browser.cookies['sessionid'].value}"
    client = DebuggerClient(ws_headers(cookie=cookie))
    connected, _ = await client.connect()
    assert connected
    await client.close()


@pytest.mark.parametrize("origin", ["http://evil.example", "https://localhost.evil.example", None])
async def test_foreign_origin_rejected(staff_token, origin):
    connected, _ = await connect(ws_headers(staff_token, origin=origin))
    assert not connected


async def test_rejected_client_receives_nothing(source):
    """A rejected connection is never added to the group, so broadcasts cannot reach it."""
    client = DebuggerClient(ws_headers())
    connected, _ = await client.connect()
    assert not connected
    await post_batch("wk_web", [track("Order Completed")])
    assert await client.communicator.receive_nothing(timeout=0.3)
