"""
The exception tree of the ingest API.

Each class carries its HTTP status and a stable snake_case code; the message
names the field or value and the fix. ``tracker.api.exceptions`` renders every
one as ``{"code": ..., "message": ..., **extra}``::

    {"code": "payload_too_large", "message": "The batch body is 540123 bytes; ...",
     "limit": 512000, "size": 540123}
"""
from typing import Any

from rest_framework import status
from rest_framework.exceptions import APIException


class IngestError(APIException):
    """Base of the errors that refuse a whole ingest request."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "bad_request"
    default_detail = "The request could not be read."

    def __init__(self, message: str | None = None, code: str | None = None, **extra: Any):
        super().__init__(message or self.default_detail, code or self.default_code)
        self.code = code or self.default_code
        self.message = message or str(self.default_detail)
        self.extra = extra


class InvalidBody(IngestError):
    default_code = "invalid_json"
    default_detail = "The body is not a valid JSON object."


class PayloadTooLarge(IngestError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "payload_too_large"
    default_detail = "The body is larger than the limit."


class UnsupportedEncoding(IngestError):
    status_code = status.HTTP_415_UNSUPPORTED_MEDIA_TYPE
    default_code = "unsupported_encoding"
    default_detail = "The Content-Encoding is not supported."


class WriteKeyMissing(IngestError):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = "write_key_missing"
    default_detail = (
        "No write key was sent. Send it as the username of HTTP Basic auth with an empty password "
        '("Authorization: Basic base64(KEY:)"), or as "writeKey" in the body.'
    )


class WriteKeyUnknown(IngestError):
    status_code = status.HTTP_401_UNAUTHORIZED
    default_code = "write_key_unknown"
    default_detail = (
        "The write key matches no source. Copy it from the source in the admin, or create one with "
        "`python manage.py create_source NAME`."
    )


class SourceDisabled(IngestError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "source_disabled"
    default_detail = "This source is disabled, so nothing was stored. Enable it in the admin."


class StorageUnavailable(APIException):
    """The database failed; nothing of the request was stored, so the SDK should retry."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "storage_unavailable"
    default_detail = "The events could not be stored because the database failed. Retry in a few seconds."
    retry_after = 5
