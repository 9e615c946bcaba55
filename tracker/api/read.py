"""
The read API for operators, scripts and the debugger page (staff only).

    GET /api/events/?source=web&type=track&event=Order%20Completed&message_id=...
    GET /api/events/?after_id=100&before_id=200   (events a debugger page skipped)
    GET /api/events/42/
    GET /api/rejections/?source=web

Lists are newest first, paginated by cursor: {"results": [...], "next": URL or null}.
"""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination

from debugger.filters import FilterError, StreamFilters
from tracker.models import Event, Rejection, Source

from .items import event_item, rejection_item


class NewestFirstPagination(CursorPagination):
    ordering = "-id"
    page_size = 100
    page_size_query_param = "limit"
    max_page_size = 1000


class ProblemSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning", "info"])
    path = serializers.CharField(allow_blank=True)
    message = serializers.CharField()
    suggestion = serializers.JSONField(required=False)


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()
    received_at = serializers.CharField()
    type = serializers.CharField()
    name = serializers.CharField(help_text="The track event name, or the page or screen name.")
    user_id = serializers.CharField()
    anonymous_id = serializers.CharField()
    message_id = serializers.CharField()
    severity = serializers.CharField(allow_null=True, help_text="Worst problem severity, or null.")
    problem_count = serializers.IntegerField()
    duplicate_count = serializers.IntegerField(help_text="Identical retries counted instead of stored.")
    payload = serializers.JSONField(help_text="The stored message, after enrichment.")
    problems = ProblemSerializer(many=True)

    def to_representation(self, instance):
        return event_item(instance)


class RejectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    source = serializers.CharField()
    received_at = serializers.CharField()
    code = serializers.CharField()
    message = serializers.CharField()
    index = serializers.IntegerField(allow_null=True, help_text="Position in the batch; null for a whole request.")
    size = serializers.IntegerField(help_text="Bytes of the rejected body or item.")
    head = serializers.CharField(help_text="The first bytes, as text.")
    http_path = serializers.CharField()
    status = serializers.IntegerField()

    def to_representation(self, instance):
        return rejection_item(instance)


def _require_storable_params(request) -> None:
    """Reject query values no database can compare against, before a query fails on them."""
    for key, values in request.query_params.lists():
        if any("\x00" in value for value in values) or "\x00" in key:
            raise serializers.ValidationError({key: "Query parameters must not contain the NUL character (%00)."})


def _source_filter(request):
    _require_storable_params(request)
    name = request.query_params.get("source")
    if name and not Source.objects.filter(name=name).exists():
        raise NotFound(f"No source is named {name!r}. List sources in the admin.", code="source_not_found")
    return name


SOURCE_PARAMETER = OpenApiParameter("source", OpenApiTypes.STR, description="Source name.")


@extend_schema_view(get=extend_schema(parameters=[
    SOURCE_PARAMETER,
    OpenApiParameter("type", OpenApiTypes.STR, description="Message type: track, identify, page ..."),
    OpenApiParameter("event", OpenApiTypes.STR, description="Track event name, or page or screen name."),
    OpenApiParameter("message_id", OpenApiTypes.STR),
    OpenApiParameter("user", OpenApiTypes.STR, description="userId or anonymousId."),
    OpenApiParameter("severity", OpenApiTypes.STR, enum=["error", "warning", "info"],
                     description="Events whose worst problem is at least this severe."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Text the payload contains."),
    OpenApiParameter("after_id", OpenApiTypes.INT, description="Only events with a larger id."),
    OpenApiParameter("before_id", OpenApiTypes.INT, description="Only events with a smaller id."),
    OpenApiParameter("limit", OpenApiTypes.INT, description="Page size, at most 1000."),
]))
class EventList(generics.ListAPIView):
    serializer_class = EventSerializer
    pagination_class = NewestFirstPagination

    def get_queryset(self):
        params = self.request.query_params
        _source_filter(self.request)
        try:
            filters = StreamFilters.from_dict({key: params[key] for key in StreamFilters.__dataclass_fields__ if key in params})
        except FilterError as error:
            raise serializers.ValidationError({"filters": str(error)}) from None
        events = filters.apply(Event.objects.select_related("source"))
        if "message_id" in params:
            events = events.filter(message_id=params["message_id"])
        after_id = _id_parameter(params, "after_id")
        if after_id is not None:
            events = events.filter(id__gt=after_id)
        before_id = _id_parameter(params, "before_id")
        if before_id is not None:
            events = events.filter(id__lt=before_id)
        return events


def _id_parameter(params, name: str) -> int | None:
    value = params.get(name)
    if value is None:
        return None
    if not value.isdigit():
        raise serializers.ValidationError({name: f"{name} must be a whole number of 0 or more, not {value!r}."})
    return int(value)


class EventDetail(generics.RetrieveAPIView):
    serializer_class = EventSerializer
    queryset = Event.objects.select_related("source")


@extend_schema_view(get=extend_schema(parameters=[SOURCE_PARAMETER]))
class RejectionList(generics.ListAPIView):
    serializer_class = RejectionSerializer
    pagination_class = NewestFirstPagination

    def get_queryset(self):
        name = _source_filter(self.request)
        rejections = Rejection.objects.select_related("source")
        if name:
            rejections = rejections.filter(source__name=name)
        return rejections
