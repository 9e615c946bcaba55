"""Requests and batch items that could not be stored as events, kept so users see why."""
from django.db import models


class Rejection(models.Model):
    source = models.ForeignKey("tracker.Source", on_delete=models.CASCADE, related_name="rejections")
    received_at = models.DateTimeField(db_index=True)
    code = models.CharField(max_length=50)
    message = models.TextField()
    # Position in the batch; null when the whole request was rejected.
    index = models.PositiveIntegerField(null=True, blank=True)
    # Bytes of the rejected body or item (after inflating).
    size = models.PositiveBigIntegerField(default=0)
    # The first bytes, as text (invalid UTF-8 shown as U+FFFD).
    head = models.TextField(blank=True)
    http_path = models.CharField(max_length=100, blank=True)
    status = models.PositiveSmallIntegerField(default=200)

    class Meta:
        ordering = ["-id"]
        indexes = [models.Index(fields=["source", "-id"], name="rejection_source_recent")]

    def __str__(self) -> str:
        return f"{self.code} ({self.size} bytes)"
