"""The debugger's pages: the live stream, an event's permalink and the problem documentation."""
import json

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from tracker.api.items import dumps, event_item
from tracker.models import Event, Source
from tracker.validation import RULES

from .consumers import MAX_HISTORY
from .csp import content_security_policy
from .filters import FIELDS, FilterError, StreamFilters

MESSAGE_TYPES = ("track", "page", "screen", "identify", "group", "alias")
# Rows the page keeps (it builds DOM rows for the visible part only), and events it requests on load.
PAGE_ROWS = 250
PAGE_BACKFILL = 150


@staff_member_required
@content_security_policy
def live(request: HttpRequest) -> HttpResponse:
    sources = list(Source.objects.order_by("name").values("name", "write_key"))
    try:
        filters = StreamFilters.from_dict({key: request.GET[key] for key in FIELDS if key in request.GET})
    except FilterError:
        # The page's script reports the bad filter; the form starts empty.
        filters = StreamFilters()
    config = {
        "rows": PAGE_ROWS,
        "backfill": min(PAGE_BACKFILL, MAX_HISTORY),
        # Write keys let "Copy as cURL" build a working command; staff see them in the admin too.
        "writeKeys": {source["name"]: source["write_key"] for source in sources},
    }
    return render(request, "debugger/live.html", {
        "sources": [source["name"] for source in sources],
        "types": MESSAGE_TYPES,
        "filters": filters,
        "config": config,
    })


@staff_member_required
@content_security_policy
def event_page(request: HttpRequest, pk: int) -> HttpResponse:
    event = get_object_or_404(Event.objects.select_related("source"), pk=pk)
    source = event.source
    return render(request, "debugger/event.html", {
        "event": event,
        "item_json": dumps(event_item(event)),
        "config": {"writeKeys": {source.name: source.write_key}},
    })


@content_security_policy
def problem_index(request: HttpRequest) -> HttpResponse:
    rules = sorted(RULES.values(), key=lambda rule: (rule.concern, rule.code))
    return render(request, "debugger/problems.html", {"rules": rules})


@content_security_policy
def problem_page(request: HttpRequest, code: str) -> HttpResponse:
    rule = RULES.get(code)
    if rule is None:
        raise Http404(f"No problem has the code {code!r}.")
    return render(request, "debugger/problem.html", {
        "rule": rule,
        "bad_json": json.dumps(rule.bad, indent=2, ensure_ascii=False),
        "good_json": json.dumps(rule.good, indent=2, ensure_ascii=False),
    })
