"""
CORS for the ingest paths (/v1/...), so browsers can post events from any site.

Write keys are public by design (they ship inside every web page that tracks),
so every origin is allowed. analytics.js needs Retry-After and
X-RateLimit-Reset exposed to honour a 429.
"""
from django.http import HttpResponse

ALLOWED_HEADERS = "Authorization, Content-Type, Content-Encoding, X-Retry-Count"
EXPOSED_HEADERS = "Retry-After, X-RateLimit-Reset"
INGEST_PREFIX = "/v1/"


class IngestCorsMiddleware:
    """Answer preflights and add CORS headers on /v1/ paths; other paths pass untouched."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(INGEST_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response["Access-Control-Allow-Headers"] = request.META.get(
                "HTTP_ACCESS_CONTROL_REQUEST_HEADERS", ALLOWED_HEADERS
            )
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        origin = request.META.get("HTTP_ORIGIN")
        response["Access-Control-Allow-Origin"] = origin or "*"
        response["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
        if origin:
            response["Access-Control-Allow-Credentials"] = "true"
            response["Vary"] = "Origin"
        return response
