"""
Write key authentication for the ingest endpoints.

Segment's SDKs send the write key as the username of HTTP Basic auth with an
empty password (the colon is optional), or as "writeKey" in the JSON body, or
in the body next to an OAuth Bearer token. The header wins when both are sent.
"""
import base64
import binascii
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from tracker.ingest.errors import SourceDisabled, WriteKeyMissing, WriteKeyUnknown
from tracker.models import Source
from tracker.validation.values import json_type

from .writekeys import find_source


@dataclass(frozen=True)
class SourceCredentials:
    """``request.auth`` of an ingest request: the source and where its key came from."""

    source: Source
    via: str  # "header" or "body"


def basic_auth_username(request) -> str | None:
    """Return the username of a Basic Authorization header, or None without one."""
    # Read twice per request (prefetch, then DRF's authentication), decoded once.
    cached = getattr(request._request, "trackside_basic_username", _UNREAD)
    if cached is not _UNREAD:
        return cached
    username = _decode_basic_username(request)
    request._request.trackside_basic_username = username
    return username


_UNREAD = object()


def _decode_basic_username(request) -> str | None:
    header = get_authorization_header(request).split()
    if len(header) != 2 or header[0].lower() != b"basic":
        return None
    try:
        decoded = base64.b64decode(header[1], validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise WriteKeyMissing(
            "The Basic Authorization header is not valid base64 of 'KEY:'. Encode the write key followed by a colon.",
            code="write_key_malformed",
        ) from None
    username = decoded.split(":", 1)[0]
    return username or None


def body_write_key(request, strict: bool = True) -> str | None:
    """
    Return the body's "writeKey", or None without one.

    A key that is not a string raises WriteKeyMissing, unless ``strict`` is
    False (the header authenticated the request, and it wins).
    """
    parsed = request.data
    value = getattr(parsed, "value", None)
    if not isinstance(value, dict) or value.get("writeKey") in (None, ""):
        return None
    key = value["writeKey"]
    if not isinstance(key, str):
        if not strict:
            return None
        raise WriteKeyMissing(
            f'The body\'s "writeKey" is {json_type(key)}, not a string. Send the write key as a JSON string.',
            code="write_key_malformed",
        )
    return key


class WriteKeyAuthentication(BaseAuthentication):
    """Resolve the request's source from its write key."""

    def authenticate(self, request):
        header_key = basic_auth_username(request)
        if header_key is not None:
            source = self._require_source(header_key)
            # Known before the body is read, so a bad body can be kept as this source's rejection.
            request._request.trackside_source = source
            return AnonymousUser(), SourceCredentials(source, "header")
        body_key = body_write_key(request)
        if body_key is None:
            raise WriteKeyMissing()
        return AnonymousUser(), SourceCredentials(self._require_source(body_key), "body")

    def authenticate_header(self, request) -> str:
        return 'Basic realm="trackside"'

    def _require_source(self, write_key: str) -> Source:
        source = find_source(write_key)
        if source is None:
            raise WriteKeyUnknown()
        if not source.enabled:
            raise SourceDisabled(f'Source "{source.name}" is disabled, so nothing was stored. Enable it in the admin.')
        return source
