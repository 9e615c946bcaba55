"""
A fault-injecting HTTP proxy on 127.0.0.1, in front of a live Trackside, for retry tests.

The first attempt that carries a message is forwarded upstream, so Trackside
stores it, but the client gets the injected fault (a 503, or a 429 with
Retry-After) instead of Trackside's response. An attempt whose messages were all
seen before passes through unchanged. So a client that retries with the same
messageIds makes Trackside see each message twice, and the test can check that
the second copy was counted, not stored.
"""
import gzip
import http.client
import json
import logging
import threading
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

logger = logging.getLogger(__name__)

# Headers that belong to one connection and are not forwarded.
HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade"}
UPSTREAM_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Attempt:
    """One request the proxy received, and the status the client got back."""

    path: str
    message_ids: tuple[str, ...]
    retry_count_header: str | None
    upstream_status: int
    client_status: int


def message_ids(body: bytes, encoding: str | None) -> tuple[str, ...]:
    """Return the messageIds in a request body; empty when it is not readable JSON."""
    try:
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        parsed = json.loads(body)
    except (OSError, zlib.error, ValueError):
        return ()
    messages = parsed.get("batch", []) if isinstance(parsed, dict) and "batch" in parsed else [parsed]
    return tuple(str(message.get("messageId")) for message in messages if isinstance(message, dict))


class FaultProxy:
    """Run with ``with FaultProxy(port, 503) as proxy:`` and point the SDK at ``proxy.url``."""

    def __init__(self, upstream_port: int, fault_status: int, fault_headers: dict[str, str] | None = None):
        self.upstream_port = upstream_port
        self.fault_status = fault_status
        self.fault_headers = fault_headers or {}
        self.attempts: list[Attempt] = []
        self._seen: set[str] = set()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, name="fault-proxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> "FaultProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)

    def first_attempt(self, ids: tuple[str, ...]) -> bool:
        """Record ``ids`` as seen; return whether any of them was new."""
        with self._lock:
            new = any(message_id not in self._seen for message_id in ids)
            self._seen.update(ids)
            return new

    def forward(self, method: str, path: str, headers: dict[str, str], body: bytes) -> tuple[int, dict, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.upstream_port, timeout=UPSTREAM_TIMEOUT_SECONDS)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, dict(response.getheaders()), response.read()
        finally:
            connection.close()

    def record(self, attempt: Attempt) -> None:
        with self._lock:
            self.attempts.append(attempt)

    def _handler_class(self) -> type:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {name: value for name, value in self.headers.items() if name.lower() not in HOP_BY_HOP}
                ids = message_ids(body, self.headers.get("Content-Encoding"))
                inject = bool(ids) and proxy.first_attempt(ids)
                status, upstream_headers, upstream_body = proxy.forward("POST", self.path, headers, body)
                # Recorded before responding: a client may retry before this thread runs on.
                proxy.record(Attempt(
                    self.path, ids, self.headers.get("X-Retry-Count"), status,
                    proxy.fault_status if inject else status,
                ))
                if inject:
                    fault_body = json.dumps({
                        "code": "injected_fault",
                        "message": f"The test proxy returned {proxy.fault_status} in place of Trackside's {status}.",
                    }).encode()
                    self.respond(proxy.fault_status, proxy.fault_headers, fault_body)
                else:
                    content_type = upstream_headers.get("Content-Type", "application/json")
                    self.respond(status, {"Content-Type": content_type}, upstream_body)

            def respond(self, status: int, headers: dict[str, str], body: bytes) -> None:
                self.send_response(status)
                headers = {"Content-Type": "application/json", **headers}
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:
                logger.debug("fault proxy: " + format, *args)

        return Handler
