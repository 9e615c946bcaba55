"""
One JSON error body for every API error:

    {"code": "write_key_unknown", "message": "The write key matches no source. ..."}

Ingest errors add their details (``limit``, ``size``, ``offset`` ...); DRF's
own errors keep their codes (``not_authenticated``, ``throttled`` ...).
"""
import logging

from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler

from tracker.ingest.errors import IngestError

logger = logging.getLogger(__name__)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, IngestError):
        response.data = {"code": exc.code, "message": exc.message, **exc.extra}
    elif isinstance(exc, exceptions.APIException):
        response.data = _drf_error_body(exc)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        response["X-RateLimit-Reset"] = str(int(exc.wait + 0.999))
    retry_after = getattr(exc, "retry_after", None)
    if retry_after is not None:
        response["Retry-After"] = str(retry_after)
    return response


def _drf_error_body(exc: exceptions.APIException) -> dict:
    codes = exc.get_codes()
    if isinstance(exc.detail, (list, dict)):
        code = codes if isinstance(codes, str) else exc.default_code
        return {"code": code, "message": str(exc.default_detail), "errors": exc.detail}
    message = str(exc.detail)
    if isinstance(exc, exceptions.Throttled):
        message = f"{message} Wait before sending more; the Retry-After header says how long."
    return {"code": codes if isinstance(codes, str) else exc.default_code, "message": message}
