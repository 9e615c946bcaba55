from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from .api import analytics_js, read, settings_view, views

# Segment's full paths and analytics.js's one-letter forms.
MESSAGE_PATHS = {
    "track": "t",
    "identify": "i",
    "page": "p",
    "screen": "s",
    "group": "g",
    "alias": "a",
}

ingest_patterns = [
    path("batch", views.BatchView.as_view(), name="ingest-batch"),
    path("b", views.BatchView.as_view(), name="ingest-b"),
    path("import", views.BatchView.as_view(), name="ingest-import"),
    path("m", settings_view.MetricsView.as_view(), name="ingest-metrics"),
    path("projects/<str:write_key>/settings", settings_view.ProjectSettingsView.as_view(), name="project-settings"),
]
# The one-letter forms also at the root, for analytics.js with an apiHost lacking "/v1".
root_short_patterns = [
    path("b", views.BatchView.as_view(), name="root-ingest-b"),
    path("m", settings_view.MetricsView.as_view(), name="root-ingest-metrics"),
]
for message_type, letter in MESSAGE_PATHS.items():
    view = views.MessageView.as_view(message_type=message_type)
    ingest_patterns += [
        path(message_type, view, name=f"ingest-{message_type}"),
        path(letter, view, name=f"ingest-{letter}"),
    ]
    root_short_patterns.append(path(letter, view, name=f"root-ingest-{letter}"))

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="debugger:live", permanent=False)),
    path("v1/", include(ingest_patterns)),
    path("", include(root_short_patterns)),
    path("analytics.js/v1/<str:write_key>/analytics.min.js", analytics_js.analytics_js, name="analytics-js"),
    path("api/events/", read.EventList.as_view(), name="api-events"),
    path("api/events/<int:pk>/", read.EventDetail.as_view(), name="api-event"),
    path("api/rejections/", read.RejectionList.as_view(), name="api-rejections"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("debugger/", include("debugger.urls")),
    path("admin/", admin.site.urls),
]
