"""Websocket authentication by DRF token, for clients without a session cookie."""
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser


@database_sync_to_async
def _user_for_token(key: str):
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


class TokenAuthMiddleware(BaseMiddleware):
    """Set scope["user"] from an "Authorization: Token KEY" header, when the session gave no user."""

    async def __call__(self, scope, receive, send):
        user = scope.get("user")
        if user is None or not user.is_authenticated:
            for name, value in scope.get("headers", []):
                if name == b"authorization":
                    parts = value.decode("latin-1").split()
                    if len(parts) == 2 and parts[0].lower() == "token":
                        scope = dict(scope, user=await _user_for_token(parts[1]))
                    break
        return await super().__call__(scope, receive, send)
