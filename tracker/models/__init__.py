from .event import Event
from .rejection import Rejection
from .source import Source, generate_write_key

__all__ = ["Event", "Rejection", "Source", "generate_write_key"]
