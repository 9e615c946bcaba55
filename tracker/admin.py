"""Admin pages for sources, stored events and rejections."""
import json

from django.contrib import admin
from django.utils.html import format_html

from .api.writekeys import forget_cached_keys
from .models import Event, Rejection, Source, generate_write_key


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ("name", "write_key", "enabled", "created_at")
    list_filter = ("enabled",)
    search_fields = ("name", "write_key")
    actions = ["regenerate_write_keys"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        forget_cached_keys()

    @admin.action(description="Regenerate the write keys of the selected sources")
    def regenerate_write_keys(self, request, queryset):
        for source in queryset:
            source.write_key = generate_write_key()
            source.save(update_fields=["write_key"])
        forget_cached_keys()
        self.message_user(request, f"New write keys for {queryset.count()} sources.")


class HasProblemsFilter(admin.SimpleListFilter):
    title = "problems"
    parameter_name = "problems"

    def lookups(self, request, model_admin):
        return [("yes", "Has problems"), ("no", "No problems"), ("error", "Has errors")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(problem_count__gt=0)
        if self.value() == "no":
            return queryset.filter(problem_count=0)
        if self.value() == "error":
            return queryset.filter(worst_severity=Event.Severity.ERROR)
        return queryset


def pretty_json(value) -> str:
    return format_html("<pre class=\"trackside-json\">{}</pre>", json.dumps(value, indent=2, ensure_ascii=False))


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("id", "type", "event_name", "user", "source", "received_at", "problem_count", "duplicate_count")
    list_filter = ("source", "type", HasProblemsFilter, "worst_severity", "event_name")
    search_fields = ("event_name", "user_id", "anonymous_id", "message_id")
    list_select_related = ("source",)
    date_hierarchy = "received_at"
    list_per_page = 100
    show_full_result_count = False
    readonly_fields = (
        "source", "type", "event_name", "user_id", "anonymous_id", "message_id", "timestamp", "received_at",
        "duplicate_count", "problem_count", "worst_severity", "payload_pretty", "problems_pretty", "raw_text",
    )
    exclude = ("payload", "problems", "raw", "content_hash", "dedup_generation")
    actions = ["revalidate_events"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="user")
    def user(self, obj):
        return obj.user_id or obj.anonymous_id

    @admin.display(description="payload")
    def payload_pretty(self, obj):
        return pretty_json(obj.payload)

    @admin.display(description="problems")
    def problems_pretty(self, obj):
        return pretty_json(obj.problems)

    @admin.display(description="original bytes")
    def raw_text(self, obj):
        if obj.raw is None:
            return "-"
        return format_html("<pre>{}</pre>", bytes(obj.raw).decode("utf-8", errors="replace"))

    @admin.action(description="Re-run the validation rules on the selected events")
    def revalidate_events(self, request, queryset):
        from .ingest.revalidation import revalidate

        changed = revalidate(queryset)
        self.message_user(request, f"Revalidated {queryset.count()} events; the problems of {changed} changed.")


@admin.register(Rejection)
class RejectionAdmin(admin.ModelAdmin):
    list_display = ("id", "source", "code", "index", "size", "status", "http_path", "received_at")
    list_filter = ("source", "code")
    search_fields = ("code", "message", "head")
    list_select_related = ("source",)
    readonly_fields = ("source", "received_at", "code", "message", "index", "size", "status", "http_path", "head")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
