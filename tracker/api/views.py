"""
The ingest endpoints, compatible with Segment's HTTP Tracking API.

Each view parses and authenticates through DRF, then awaits
``tracker.ingest.service.ingest``, which returns once the request's events
are committed.
"""
import logging

from rest_framework.permissions import BasePermission
from django.http import HttpResponse
from rest_framework.renderers import JSONRenderer

from tracker.conf import trackside_settings
from tracker.ingest import service
from tracker.ingest.errors import IngestError
from tracker.ingest.messages import json_text

from . import writekeys
from .asyncview import AsyncAPIView
from .authentication import SourceCredentials, WriteKeyAuthentication, basic_auth_username, body_write_key
from .clientip import client_ip
from .parsers import IngestJSONParser, IngestNegotiation, IngestRequest
from .schema import BatchSchema, MessageSchema, ingest_schema
from .throttling import SourceRateThrottle

logger = logging.getLogger(__name__)


class HasSource(BasePermission):
    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, SourceCredentials)


class IngestView(AsyncAPIView):
    """Base of every ingest endpoint."""

    authentication_classes = [WriteKeyAuthentication]
    permission_classes = [HasSource]
    parser_classes = [IngestJSONParser]
    renderer_classes = [JSONRenderer]
    content_negotiation_class = IngestNegotiation
    throttle_classes = [SourceRateThrottle]
    # The type a single-message endpoint gives its message; None for batches.
    message_type: str | None = None
    body_name = "message body"

    def max_body_bytes(self) -> int:
        return trackside_settings.MAX_MESSAGE_BYTES

    def initialize_request(self, request, *args, **kwargs):
        return IngestRequest(
            request,
            parsers=self.get_parsers(),
            authenticators=self.get_authenticators(),
            negotiator=self.get_content_negotiator(),
            parser_context=self.get_parser_context(request),
        )

    def get_throttles(self):
        # Without a configured rate nothing is limited, so no throttle is built per request.
        if trackside_settings.RATE_LIMIT is None:
            return []
        return super().get_throttles()

    async def prepare_async(self, request) -> None:
        header_key = basic_auth_username(request)
        # Without a header the key is in the body, so the body is parsed here.
        await writekeys.prefetch(header_key if header_key is not None else body_write_key(request))

    async def post(self, request, *args, **kwargs):
        credentials: SourceCredentials = request.auth
        conflicting_key = None
        if credentials.via == "header":
            body_key = body_write_key(request, strict=False)
            if body_key is not None and body_key != credentials.source.write_key:
                conflicting_key = body_key
                await writekeys.prefetch(body_key)
        outcome = await service.ingest(service.IngestRequest(
            source=credentials.source,
            parsed=request.data,
            body=request._request.trackside_body,
            endpoint_type=self.message_type,
            client_ip=client_ip(request),
            http_path=request.path,
            conflicting_write_key=conflicting_key,
            conflicting_source=writekeys.find_source(conflicting_key) if conflicting_key else None,
        ))
        # A plain response: the body is small and fixed in shape, so DRF's
        # Response and renderer would only add work to every request.
        return HttpResponse(json_text(outcome.response_body()), content_type="application/json")

    async def handle_exception_async(self, exc):
        source = getattr(self.request._request, "trackside_source", None)
        if isinstance(exc, IngestError) and source is not None:
            body = getattr(self.request._request, "trackside_body", None)
            if body is None:
                body = getattr(self.request._request, "trackside_raw_body", b"")
            try:
                await service.record_request_rejection(source, exc, body, self.request.path)
            except Exception:
                logger.exception("Could not keep the rejection of a request for source %s", source.name)
        return self.handle_exception(exc)


class MessageView(IngestView):
    """POST one message of the type the URL names: /v1/track, /v1/t, ..."""

    @ingest_schema(MessageSchema, "Store one message; the path sets its type.")
    async def post(self, request, *args, **kwargs):
        return await super().post(request, *args, **kwargs)


class BatchView(IngestView):
    """POST {"batch": [message, ...]} to /v1/batch, /v1/b or /v1/import."""

    body_name = "batch body"

    def max_body_bytes(self) -> int:
        return trackside_settings.MAX_BATCH_BYTES

    @ingest_schema(BatchSchema, "Store a batch of up to 2,500 messages of any type.")
    async def post(self, request, *args, **kwargs):
        return await super().post(request, *args, **kwargs)
