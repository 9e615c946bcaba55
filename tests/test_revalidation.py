"""Re-running the rules over stored events: the management command, its progress bar and the admin action."""
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from tracker.ingest import revalidation
from tracker.models import Event

STALE = {"code": "retired_rule", "severity": "error", "path": "event", "message": "A rule that no longer exists."}


def send_events(post, write_key: str = "wk_web") -> None:
    post("/v1/batch", {"batch": [
        {"type": "track", "userId": "u_1", "event": "Order Completed", "messageId": "m-rev",
         "properties": {"order_id": "o_1", "revenue": "25.50", "currency": "USD"}},
        {"type": "track", "userId": "u_1", "event": "Report Exported", "messageId": "m-ok"},
        {"type": "identify", "userId": "u_1", "messageId": "m-id", "traits": {"plan": "pro"}},
    ]}, write_key=write_key)


def forget_problems(events) -> None:
    """Make stored problems stale, as if they were stored by an older version of the rules."""
    for event in events:
        event.problems = [STALE]
        event.problem_count = 1
        event.worst_severity = Event.Severity.ERROR
        event.save(update_fields=["problems", "problem_count", "worst_severity"])


def run_command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("revalidate", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def codes(event: Event) -> list[str]:
    event.refresh_from_db()
    return [problem["code"] for problem in event.problems]


@pytest.mark.django_db
def test_command_recomputes_problems(post, source):
    send_events(post)
    forget_problems(Event.objects.all())

    out, err = run_command()

    assert out == "Revalidated 3 events; the problems of 3 changed.\n"
    assert codes(Event.objects.get(message_id="m-rev")) == ["amount_not_number"]
    assert codes(Event.objects.get(message_id="m-ok")) == []
    fresh = Event.objects.get(message_id="m-rev")
    assert (fresh.problem_count, fresh.worst_severity) == (1, Event.Severity.ERROR)
    clean = Event.objects.get(message_id="m-ok")
    assert (clean.problem_count, clean.worst_severity) == (0, Event.Severity.NONE)


@pytest.mark.django_db
def test_command_progress_bar_on_stderr(post, source, monkeypatch):
    monkeypatch.setattr(revalidation, "CHUNK", 2)
    send_events(post)

    out, err = run_command()

    assert err == (
        "\r[" + "#" * 26 + "." * 14 + "] 2/3 events"
        "\r[" + "#" * 40 + "] 3/3 events\n"
    )
    assert "\r" not in out


@pytest.mark.django_db
def test_unchanged_events_not_counted(post, source):
    send_events(post)

    out, _ = run_command()

    assert out == "Revalidated 3 events; the problems of 0 changed.\n"


@pytest.mark.django_db
def test_ingest_stage_problems_kept(post, source):
    post("/v1/track", '{"type": "track", "userId": "u_1", "event": "Flight Logged", "properties": {"ratio": NaN, "legs": 2}}')
    post("/v1/track", {"type": "track", "userId": "u_1", "event": "Flight Logged", "properties": {"legs": "two"}})
    event = Event.objects.order_by("id").last()
    assert codes(event) == ["property_type_drift"]
    event.problems = event.problems + [STALE]
    event.save(update_fields=["problems"])

    run_command()

    assert codes(event) == ["property_type_drift"]
    assert codes(Event.objects.order_by("id").first()) == ["non_finite_number"]


@pytest.mark.django_db
def test_command_source_filter(post, source, make_source):
    make_source("other", "wk_other")
    send_events(post)
    send_events(post, write_key="wk_other")
    forget_problems(Event.objects.all())

    out, _ = run_command("--source", "other")

    assert out == "Revalidated 3 events; the problems of 3 changed.\n"
    assert all(codes(event) == ["retired_rule"] for event in Event.objects.filter(source=source))


@pytest.mark.django_db
def test_command_unknown_source(source):
    with pytest.raises(CommandError, match=r"No source is named 'mobile'\. Sources: web\."):
        run_command("--source", "mobile")


@pytest.mark.django_db
def test_command_without_events(source):
    out, err = run_command()
    assert out == "No events to revalidate.\n"
    assert err == ""


@pytest.mark.django_db
def test_revalidate_in_chunks(post, source, monkeypatch):
    monkeypatch.setattr(revalidation, "CHUNK", 2)
    send_events(post)
    send_events(post)  # identical retries are counted, not stored again
    post("/v1/track", {"type": "track", "userId": "u_1", "event": "Event 12"})
    post("/v1/track", {"type": "track", "userId": "u_1", "event": "Event 13"})
    forget_problems(Event.objects.all())
    seen = []

    changed = revalidation.revalidate(Event.objects.all(), progress=seen.append)

    assert seen == [2, 4, 5]
    assert changed == 5


@pytest.mark.django_db
def test_admin_action_revalidates_selected(client, post, source):
    admin = get_user_model().objects.create_superuser("root", password="pw-root-123")
    client.force_login(admin)
    send_events(post)
    forget_problems(Event.objects.all())
    selected = Event.objects.get(message_id="m-rev")

    response = client.post(
        "/admin/tracker/event/",
        {"action": "revalidate_events", "_selected_action": [selected.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Revalidated 1 events; the problems of 1 changed." in response.content.decode()
    assert codes(selected) == ["amount_not_number"]
    assert codes(Event.objects.get(message_id="m-ok")) == ["retired_rule"]
