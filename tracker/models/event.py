"""Stored messages of every type, with their validation problems."""
from django.db import models

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

    # No index of its own: every index below starts with the source.
    source = models.ForeignKey("tracker.Source", on_delete=models.CASCADE, related_name="events", db_index=False)
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
    # 0 while identical retries count against this event; its own id once the
    # deduplication window has passed and a later copy is a new event.
    dedup_generation = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["source", "-id"], name="event_source_recent"),
            models.Index(fields=["source", "type", "-id"], name="event_source_type"),
            models.Index(fields=["source", "event_name", "-id"], name="event_source_name"),
        ]
        constraints = [
            # Deduplication holds across worker processes because the database
            # enforces it: one open event (generation 0) per (source, messageId,
            # content). The index also serves lookups by (source, messageId).
            models.UniqueConstraint(
                fields=["source", "message_id", "content_hash", "dedup_generation"],
                name="event_dedup",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.event_name or self.message_id}"
