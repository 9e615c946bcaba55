"""
The ingest parser: every body is JSON, whatever its Content-Type.

analytics.js posts text/plain (no CORS preflight), sendBeacon adds
";charset=UTF-8", and some clients send no Content-Type at all, so this parser
claims every media type and hands the bytes to the one strict parse.
"""
import io

from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import BaseParser
from rest_framework.request import Request

from tracker.conf import trackside_settings
from tracker.ingest.decoding import decode_body
from tracker.ingest.errors import InvalidBody
from tracker.ingest.parsing import JSONBodyError, parse_json
from tracker.validation.values import json_type


class IngestJSONParser(BaseParser):
    media_type = "*/*"

    def parse(self, stream, media_type=None, parser_context=None):
        """Parse the body into a ``ParseResult``; keep the raw and inflated bytes on the request for ingest."""
        context = parser_context or {}
        request = context["request"]
        view = context["view"]
        raw = stream.read() if stream is not None else b""
        request._request.trackside_raw_body = raw
        body = decode_body(
            raw,
            request.META.get("HTTP_CONTENT_ENCODING", ""),
            view.max_body_bytes(),
            view.body_name,
        )
        request._request.trackside_body = body
        if not body.strip():
            raise InvalidBody(
                "The body is empty. Send a JSON object, such as {\"type\": \"track\", \"event\": \"Order Completed\", ...}.",
                code="empty_body",
            )
        try:
            parsed = parse_json(body, trackside_settings.MAX_JSON_DEPTH)
        except JSONBodyError as error:
            extra = {"offset": error.offset} if error.offset is not None else {}
            raise InvalidBody(error.message, code=error.code, **extra) from None
        if not isinstance(parsed.value, dict):
            raise InvalidBody(
                f"The body is a JSON {json_type(parsed.value)}, "
                "not an object. Send one object per message, or {\"batch\": [...]} to /v1/batch.",
                code="body_not_object",
            )
        return parsed


class IngestNegotiation(DefaultContentNegotiation):
    """Always parse with the ingest parser and render JSON, whatever the headers say.

    SDKs send no Content-Type or text/plain and read only JSON responses, so
    there is nothing to negotiate.
    """

    def select_parser(self, request, parsers):
        return parsers[0]

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class IngestRequest(Request):
    """A DRF request that reads bodies sent without Content-Length (chunked uploads) too."""

    def _load_stream(self):
        if not self._request._read_started:
            self._stream = self._request
        else:
            self._stream = io.BytesIO(self.body)

    @property
    def content_type(self):
        # DRF skips parsing when the media type is None; an empty header is still a body to parse.
        return super().content_type or ""
