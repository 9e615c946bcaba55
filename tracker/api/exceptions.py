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
        view = context.get("view")
        if isinstance(exc, exceptions.MethodNotAllowed) and view is not None:
            allowed = [method for method in view.allowed_methods if method not in ("OPTIONS", "HEAD")]
            response.data["message"] += f" Use {' or '.join(allowed)}."
        if isinstance(exc, exceptions.PermissionDenied) and _is_signed_in_non_staff(context):
            response.data["message"] += " The read API and the debugger are for staff users; set is_staff in the admin."
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
    if isinstance(exc, exceptions.NotAuthenticated):
        message = (
            f"{message} Send 'Authorization: Token TOKEN' (create one for a staff user with "
            "python manage.py drf_create_token USERNAME) or log in at /admin/."
        )
    if isinstance(exc, exceptions.Throttled):
        message = f"{message} Wait before sending more; the Retry-After header says how long."
    return {"code": codes if isinstance(codes, str) else exc.default_code, "message": message}


def _is_signed_in_non_staff(context) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and not user.is_staff)
