"""
The ASGI handler for the ingest paths (/v1/...).

It is Django's own ASGIHandler (URL resolving, request objects, DRF views,
signals, exception handling) with two changes that matter at thousands of
requests per second:

- no ThreadSensitiveContext per request. Django opens one so that each
  request's synchronous code gets its own thread; ingest views are async and
  keep their little synchronous work (a cache fill, the group commit) on
  asgiref's shared sync thread, so a new thread per request buys nothing;
- only async-capable middleware. Django's MiddlewareMixin classes hop to a
  thread twice each per request in an async stack; ingest needs none of
  sessions, CSRF, messages or clickjacking headers, only CORS and nosniff.
"""
from django.core.handlers.asgi import ASGIHandler
from django.core.handlers.exception import convert_exception_to_response

from .cors import IngestCorsMiddleware


class NoSniffMiddleware:
    """Set X-Content-Type-Options: nosniff, as Django's SecurityMiddleware would."""

    async_capable = True
    sync_capable = False

    def __init__(self, get_response):
        self.get_response = get_response
        from asgiref.sync import markcoroutinefunction

        markcoroutinefunction(self)

    async def __call__(self, request):
        response = await self.get_response(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        return response


INGEST_MIDDLEWARE = (NoSniffMiddleware, IngestCorsMiddleware)


class IngestASGIHandler(ASGIHandler):
    def load_middleware(self, is_async: bool = False) -> None:
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response_async)
        for middleware in reversed(INGEST_MIDDLEWARE):
            handler = convert_exception_to_response(middleware(handler))
        self._middleware_chain = handler

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            raise ValueError(f"The ingest handler serves HTTP only, not {scope['type']!r}")
        await self.handle(scope, receive, send)
