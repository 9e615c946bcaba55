from django.urls import path

from .consumers import DebuggerConsumer

websocket_urlpatterns = [
    path("ws/debugger/", DebuggerConsumer.as_asgi(), name="ws-debugger"),
]
