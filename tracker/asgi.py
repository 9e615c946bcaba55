"""
The ASGI application: Django for HTTP, Channels for the debugger websocket.

Serve it with ``daphne tracker.asgi:application``.
"""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")
# Set up Django before importing anything that touches models.
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from debugger.auth import TokenAuthMiddleware  # noqa: E402
from debugger.routing import websocket_urlpatterns  # noqa: E402
from tracker.api.handler import IngestASGIHandler  # noqa: E402
from tracker.api.paths import is_ingest_path  # noqa: E402
from tracker.serving import (  # noqa: E402
    freeze_startup_objects,
    speed_up_content_type_parsing,
    warm_up_validator,
)

speed_up_content_type_parsing()
warm_up_validator()
freeze_startup_objects()

ingest_asgi_app = IngestASGIHandler()


async def http_app(scope, receive, send):
    """Send ingest paths to the lean ingest handler, everything else to Django's own."""
    if is_ingest_path(scope["path"]):
        await ingest_asgi_app(scope, receive, send)
    else:
        await django_asgi_app(scope, receive, send)


application = ProtocolTypeRouter({
    "http": http_app,
    "websocket": AllowedHostsOriginValidator(
        AuthMiddlewareStack(TokenAuthMiddleware(URLRouter(websocket_urlpatterns)))
    ),
})
