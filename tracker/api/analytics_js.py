"""
analytics.js itself, at the path Segment's snippet loads it from:
GET /analytics.js/v1/<writeKey>/analytics.min.js.

Trackside does not ship analytics.js. Point TRACKSIDE["ANALYTICS_JS_FILE"]
(environment variable TRACKSIDE_ANALYTICS_JS_FILE) at a standalone build, such
as ``node_modules/@segment/analytics-next/dist/umd/standalone.js``, and the
snippet works with only its CDN host changed to this server.
"""
from pathlib import Path

from django.http import FileResponse, HttpResponse

from tracker.conf import trackside_settings

from .writekeys import find_source


def analytics_js(request, write_key: str):
    configured = trackside_settings.ANALYTICS_JS_FILE
    if not configured:
        return _script_error(
            "Trackside serves analytics.js only when TRACKSIDE_ANALYTICS_JS_FILE names a standalone build, "
            "for example node_modules/@segment/analytics-next/dist/umd/standalone.js."
        )
    if find_source(write_key) is None:
        return _script_error("No source has this write key. Check the write key in the snippet.")
    path = Path(configured)
    if not path.is_file():
        return _script_error(f"TRACKSIDE_ANALYTICS_JS_FILE names {str(path)!r}, which is not a file.")
    response = FileResponse(path.open("rb"), content_type="text/javascript; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _script_error(message: str) -> HttpResponse:
    # A script body, so the browser console shows the reason instead of an opaque blocked response.
    text = "console.error(" + repr("Trackside: " + message) + ");\n"
    return HttpResponse(text, status=404, content_type="text/javascript; charset=utf-8")
