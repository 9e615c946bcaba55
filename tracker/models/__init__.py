from .event import Event
from .history import EventNameSpelling, PropertyTypeCount
from .rejection import Rejection
from .source import Source, generate_write_key

__all__ = ["Event", "EventNameSpelling", "PropertyTypeCount", "Rejection", "Source", "generate_write_key"]
