"""
The ASGI handler for the ingest paths (/v1/... and the root short paths).

It is Django's own ASGIHandler (request objects, URL resolving, DRF views,
exception handling, request_finished) with changes that matter at thousands
of requests per second, each a thread hop or a task saved per request:

- no ThreadSensitiveContext. Django opens one so that each request's
  synchronous code gets its own thread. Ingest views are async, and their
  little synchronous work (a cache fill, the group commit) runs on asgiref's
  shared sync thread, so a new thread per request buys nothing;
- only async-capable middleware. Django's MiddlewareMixin classes hop to a
  thread twice each per request in an async stack; ingest needs none of
  sessions, CSRF, messages or clickjacking headers, only CORS and nosniff;
- no request_started signal and no disconnect watch (see ``handle``).
"""
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.core.handlers.exception import convert_exception_to_response
from django.urls import set_script_prefix

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
INGEST_URLCONF = "tracker.ingest_urls"


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

    async def handle(self, scope, receive, send):
        """Read the body, get the response through the middleware and view, send it.

        Unlike Django's handler this sends no request_started: its receivers
        close the calling thread's database connections, and ingest opens none
        on the event loop (commits run on the sync thread, which the group
        committer looks after). Nor does it cancel the view when the client
        disconnects: a commit that started must finish.
        """
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        set_script_prefix(get_script_prefix(scope))
        request, response = self.create_request(scope, body_file)
        if request is not None:
            request.urlconf = INGEST_URLCONF
            response = await self.get_response_async(request)
        try:
            await self.send_response(response, send)
        finally:
            body_file.close()
            # Ingest responses are plain in-memory responses, so closing them
            # (and sending request_finished) needs no thread.
            response.close()
