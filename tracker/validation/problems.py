"""
Problems: what the validator reports about one message.

A problem serialises to the shape the API, the websocket and the 200 body of
an ingest request share::

    {"code": "revenue_not_number", "severity": "error", "path": "properties.revenue",
     "message": "properties.revenue is the string \\"25.50\\" ... Send 25.5 instead.",
     "suggestion": 25.5}

``suggestion`` is present only when one value is unambiguous.
"""
from dataclasses import dataclass
from typing import Any

ERROR = "error"
WARNING = "warning"
INFO = "info"
SEVERITIES = (ERROR, WARNING, INFO)
# Higher is worse; the debugger filters and sorts on this rank.
SEVERITY_RANK = {INFO: 1, WARNING: 2, ERROR: 3}


class _NoSuggestion:
    def __repr__(self) -> str:
        return "NO_SUGGESTION"


NO_SUGGESTION: Any = _NoSuggestion()


@dataclass(frozen=True, slots=True)
class Problem:
    code: str
    severity: str
    path: str
    message: str
    suggestion: Any = NO_SUGGESTION

    def as_dict(self) -> dict[str, Any]:
        data = {"code": self.code, "severity": self.severity, "path": self.path, "message": self.message}
        if self.suggestion is not NO_SUGGESTION:
            data["suggestion"] = self.suggestion
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Problem":
        return cls(
            data["code"],
            data["severity"],
            data["path"],
            data["message"],
            data.get("suggestion", NO_SUGGESTION),
        )


def worst_severity(problems: list[Problem]) -> int:
    """Return the rank of the worst severity among ``problems``, 0 when there are none."""
    return max((SEVERITY_RANK[problem.severity] for problem in problems), default=0)
