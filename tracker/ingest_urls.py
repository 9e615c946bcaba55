"""
The ingest URLs, flat, most used first.

The root URLconf includes them; the ingest ASGI handler resolves against this
module alone, so a request to /v1/t does not walk the admin's and the API's
patterns first.
"""
from django.urls import path

from .api import settings_view, views

# Segment's full paths and analytics.js's one-letter forms.
MESSAGE_PATHS = {
    "track": "t",
    "identify": "i",
    "page": "p",
    "screen": "s",
    "group": "g",
    "alias": "a",
}

batch_view = views.BatchView.as_view()
metrics_view = settings_view.MetricsView.as_view()
message_views = {kind: views.MessageView.as_view(message_type=kind) for kind in MESSAGE_PATHS}

urlpatterns = [
    path("v1/t", message_views["track"], name="ingest-t"),
    path("v1/track", message_views["track"], name="ingest-track"),
    path("v1/batch", batch_view, name="ingest-batch"),
    path("v1/b", batch_view, name="ingest-b"),
    path("v1/import", batch_view, name="ingest-import"),
    path("v1/m", metrics_view, name="ingest-metrics"),
    path("v1/projects/<str:write_key>/settings", settings_view.ProjectSettingsView.as_view(), name="project-settings"),
    # The one-letter forms also at the root, for analytics.js with an apiHost lacking "/v1".
    path("b", batch_view, name="root-ingest-b"),
    path("m", metrics_view, name="root-ingest-metrics"),
]
for message_type, letter in MESSAGE_PATHS.items():
    if message_type != "track":
        urlpatterns += [
            path(f"v1/{letter}", message_views[message_type], name=f"ingest-{letter}"),
            path(f"v1/{message_type}", message_views[message_type], name=f"ingest-{message_type}"),
        ]
    urlpatterns.append(path(letter, message_views[message_type], name=f"root-ingest-{letter}"))
