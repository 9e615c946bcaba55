"""Stored messages of every type, with their validation problems."""
from django.db import models
from django.db.models import Q

from tracker.validation import SEVERITY_RANK

from .encoders import UnicodeJSONEncoder


class Event(models.Model):
    """One stored message: the enriched payload plus columns the debugger filters on.

    The columns are copies of payload fields, cut to their column size; the
    payload is the record. ``raw`` keeps the message's original bytes when the
    parse had to change it (NaN tokens, text a database cannot store).
    """

    class Severity(models.IntegerChoices):
        NONE = 0, "none"
        INFO = SEVERITY_RANK["info"], "info"
        WARNING = SEVERITY_RANK["warning"], "warning"
        ERROR = SEVERITY_RANK["error"], "error"

    source = models.ForeignKey("tracker.Source", on_delete=models.CASCADE, related_name="events")
    type = models.CharField(max_length=20, blank=True)
    # The track event name, or the page or screen name.
    event_name = models.CharField(max_length=255, blank=True)
    user_id = models.CharField(max_length=255, blank=True)
    anonymous_id = models.CharField(max_length=255, blank=True)
    message_id = models.CharField(max_length=255)
    timestamp = models.DateTimeField()
    received_at = models.DateTimeField()
    payload = models.JSONField(encoder=UnicodeJSONEncoder)
    problems = models.JSONField(default=list, encoder=UnicodeJSONEncoder)
    problem_count = models.PositiveIntegerField(default=0)
    worst_severity = models.PositiveSmallIntegerField(choices=Severity.choices, default=Severity.NONE)
    raw = models.BinaryField(null=True, blank=True, editable=False)
    # Identical retries of this message that were counted instead of stored.
    duplicate_count = models.PositiveIntegerField(default=0)
    content_hash = models.CharField(max_length=32)
    # Open while retries within the deduplication window count against this event.
    dedup_open = models.BooleanField(default=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["source", "-id"], name="event_source_recent"),
            models.Index(fields=["source", "type", "-id"], name="event_source_type"),
            models.Index(fields=["source", "event_name", "-id"], name="event_source_name"),
            models.Index(fields=["source", "message_id"], name="event_source_message"),
            models.Index(fields=["received_at"], name="event_received"),
        ]
        constraints = [
            # Deduplication holds across worker processes because the database
            # enforces it: one open event per (source, messageId, content).
            models.UniqueConstraint(
                fields=["source", "message_id", "content_hash"],
                condition=Q(dedup_open=True),
                name="event_dedup_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.event_name or self.message_id}"
