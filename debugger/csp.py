"""
A Content-Security-Policy for the debugger's pages.

Event data is only ever rendered as text. The policy is the second line of
defence: no inline script runs, and the page connects only to its own
origin, its websocket included (CSP Level 3 counts same-host ws: and wss:
as 'self').
"""
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, HttpResponse

POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


def content_security_policy(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate ``view`` so its responses carry the debugger's Content-Security-Policy header."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        response.headers.setdefault("Content-Security-Policy", POLICY)
        return response

    return wrapped
