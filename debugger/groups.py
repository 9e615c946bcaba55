"""Names of the channel layer groups the debugger uses, built in one place."""

STREAM_GROUP = "trackside.stream"


def stream_group() -> str:
    """Return the group every stored event and rejection is broadcast to."""
    return STREAM_GROUP
