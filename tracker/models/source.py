"""Sources: where events come from, each authenticated by its write key."""
import secrets

from django.db import models


def generate_write_key() -> str:
    """Return a new random write key of 32 characters, the length Segment's keys have."""
    return secrets.token_urlsafe(24)


class Source(models.Model):
    name = models.SlugField(max_length=100, unique=True, help_text="Short name used in the API: ?source=NAME.")
    write_key = models.CharField(max_length=200, unique=True, default=generate_write_key)
    enabled = models.BooleanField(default=True, help_text="Requests to a disabled source get 403 and nothing is stored.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
