"""
CORS for the ingest paths (/v1/...), so browsers can post events from any site.

Write keys are public by design (they ship inside every web page that tracks),
so every origin is allowed. analytics.js needs Retry-After and
X-RateLimit-Reset exposed to honour a 429.
"""
from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpResponse

from .paths import is_ingest_path

ALLOWED_HEADERS = "Authorization, Content-Type, Content-Encoding, X-Retry-Count"
EXPOSED_HEADERS = "Retry-After, X-RateLimit-Reset"


def preflight_response(request) -> HttpResponse | None:
    """Return the response to a CORS preflight on an ingest path, or None for any other request."""
    if request.method != "OPTIONS" or "HTTP_ACCESS_CONTROL_REQUEST_METHOD" not in request.META:
        return None
    response = HttpResponse(status=204)
    response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
    response["Access-Control-Allow-Headers"] = request.META.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS", ALLOWED_HEADERS)
    response["Access-Control-Max-Age"] = "86400"
    return response


def add_cors_headers(request, response) -> None:
    origin = request.META.get("HTTP_ORIGIN")
    response["Access-Control-Allow-Origin"] = origin or "*"
    response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if origin:
        response["Access-Control-Allow-Credentials"] = "true"
        response["Vary"] = "Origin"


class IngestCorsMiddleware:
    """Respond to preflights and add CORS headers on ingest paths; other paths pass untouched.

    Works in sync and async stacks without a thread hop.
    """

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request):
        if self.is_async:
            return self._acall(request)
        if not is_ingest_path(request.path):
            return self.get_response(request)
        response = preflight_response(request) or self.get_response(request)
        add_cors_headers(request, response)
        return response

    async def _acall(self, request):
        if not is_ingest_path(request.path):
            return await self.get_response(request)
        response = preflight_response(request) or await self.get_response(request)
        add_cors_headers(request, response)
        return response
