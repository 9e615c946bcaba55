"""JSON encoding of stored payloads."""
import json


class UnicodeJSONEncoder(json.JSONEncoder):
    """Write non-ASCII text as itself, so stored payloads read and search the same on every database."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)
