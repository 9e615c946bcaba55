"""Sources: where events come from, each authenticated by its write key."""
import secrets
import string

from django.core.validators import RegexValidator
from django.db import models

WRITE_KEY_ALPHABET = string.ascii_letters + string.digits


def generate_write_key() -> str:
    """
    Return a new random write key of 32 letters and digits, the length Segment's
    keys have.

    Only letters and digits, so a key pasted after ``--write-key`` or ``curl -u``
    is never read as an option, as a key starting with "-" would be.
    """
    return "".join(secrets.choice(WRITE_KEY_ALPHABET) for _ in range(32))


# HTTP Basic authentication, which every SDK uses, ends the user name at the
# first ":" and headers lose surrounding whitespace, so such a key never matches.
validate_write_key = RegexValidator(
    r"^[^\s:]+\Z",
    "A write key cannot contain ':' or whitespace, because SDKs send it as the HTTP Basic user name. "
    "Choose one without them, such as letters, digits, '-' and '_'.",
    code="invalid_write_key",
)


class Source(models.Model):
    name = models.SlugField(max_length=100, unique=True, help_text="Short name used in the API: ?source=NAME.")
    write_key = models.CharField(
        max_length=200, unique=True, default=generate_write_key, validators=[validate_write_key],
    )
    enabled = models.BooleanField(default=True, help_text="Requests to a disabled source get 403 and nothing is stored.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
