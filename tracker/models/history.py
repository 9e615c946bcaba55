"""Per-source counts behind the cross-event rules: event name spellings and property types."""
from django.db import models


class EventNameSpelling(models.Model):
    """How often a source sent one exact event name; ``key`` groups the spellings of one name."""

    source = models.ForeignKey("tracker.Source", on_delete=models.CASCADE, related_name="+")
    # The name's words in lower case, joined by spaces: "signed up" for "Signed Up" and "signed_up".
    key = models.CharField(max_length=255)
    name = models.CharField(max_length=255)
    count = models.PositiveBigIntegerField(default=0)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "name"], name="spelling_source_name")]
        indexes = [models.Index(fields=["source", "key"], name="spelling_source_key")]

    def __str__(self) -> str:
        return f"{self.name} ({self.count})"


class PropertyTypeCount(models.Model):
    """How many track events of one name sent a top-level property with one JSON type."""

    source = models.ForeignKey("tracker.Source", on_delete=models.CASCADE, related_name="+")
    event_name = models.CharField(max_length=255)
    property = models.CharField(max_length=255)
    json_type = models.CharField(max_length=10)
    count = models.PositiveBigIntegerField(default=0)
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["source", "event_name", "property", "json_type"], name="property_type_source_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event_name}.{self.property}: {self.json_type} ({self.count})"
