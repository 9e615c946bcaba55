from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView

from .api import analytics_js, read

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="debugger:live", permanent=False)),
    path("", include("tracker.ingest_urls")),
    path("analytics.js/v1/<str:write_key>/analytics.min.js", analytics_js.analytics_js, name="analytics-js"),
    path("api/events/", read.EventList.as_view(), name="api-events"),
    path("api/events/<int:pk>/", read.EventDetail.as_view(), name="api-event"),
    path("api/rejections/", read.RejectionList.as_view(), name="api-rejections"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("debugger/", include("debugger.urls")),
    path("admin/", admin.site.urls),
]
