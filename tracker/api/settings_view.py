"""
The analytics.js settings document, GET /v1/projects/<writeKey>/settings.

analytics.js (@segment/analytics-next) fetches this from its CDN before it
sends anything. Loaded with ``cdnURL`` pointing at Trackside, it reads
``integrations["Segment.io"].apiHost`` and ``protocol`` from here and posts
its events back to this server.
"""
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .writekeys import find_source


def settings_document(write_key: str, host: str, scheme: str) -> dict:
    api_host = f"{host}/v1"
    return {
        "integrations": {
            "Segment.io": {
                "apiKey": write_key,
                "apiHost": api_host,
                "protocol": scheme,
                "unbundledIntegrations": [],
                "addBundledMetadata": True,
                "maybeBundledConfigIds": {},
                "versionSettings": {"componentTypes": ["browser"]},
            }
        },
        "plan": {
            "track": {"__default": {"enabled": True, "integrations": {}}},
            "identify": {"__default": {"enabled": True}},
            "group": {"__default": {"enabled": True}},
        },
        "edgeFunction": {},
        "analyticsNextEnabled": True,
        "middlewareSettings": {},
        "enabledMiddleware": {},
        # analytics.js's own performance metrics are not events; none are requested.
        "metrics": {"sampleRate": 0, "host": api_host},
        "legacyVideoPluginsEnabled": False,
        "remotePlugins": [],
    }


class ProjectSettingsView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(responses={200: dict}, description="The analytics.js settings document for a write key.")
    def get(self, request, write_key: str):
        if find_source(write_key) is None:
            raise NotFound(
                "No source has this write key, so analytics.js has no settings. Check the writeKey you load it with.",
                code="write_key_unknown",
            )
        return Response(settings_document(write_key, request.get_host(), request.scheme))


class MetricsView(APIView):
    """POST /v1/m: analytics.js's own metrics. Answered, never stored: they are not events."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    parser_classes: list = []

    @extend_schema(request=None, responses={200: dict})
    def post(self, request):
        return Response({"success": True})
