"""The debugger's pages: the live stream, an event's permalink and the problem documentation."""
import json

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from tracker.api.items import dumps, event_item
from tracker.models import Event, Source
from tracker.validation import RULES


@staff_member_required
def live(request):
    sources = list(Source.objects.values_list("name", flat=True))
    return render(request, "debugger/live.html", {"sources": sources})


@staff_member_required
def event_page(request, pk: int):
    event = get_object_or_404(Event.objects.select_related("source"), pk=pk)
    return render(request, "debugger/event.html", {"event": event, "item_json": dumps(event_item(event))})


def problem_index(request):
    rules = sorted(RULES.values(), key=lambda rule: (rule.concern, rule.code))
    return render(request, "debugger/problems.html", {"rules": rules})


def problem_page(request, code: str):
    rule = RULES.get(code)
    if rule is None:
        raise Http404(f"No problem has the code {code!r}.")
    return render(request, "debugger/problem.html", {
        "rule": rule,
        "bad_json": json.dumps(rule.bad, indent=2, ensure_ascii=False),
        "good_json": json.dumps(rule.good, indent=2, ensure_ascii=False),
    })
