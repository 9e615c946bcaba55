"""
Rule metadata, declared once per problem code.

Each concern module declares its rules with ``register`` and reports problems
through ``Rule.problem``, so the code, severity, documentation page and the
tested good and bad examples can never drift apart.
"""
from dataclasses import dataclass, field
from typing import Any

from .problems import NO_SUGGESTION, SEVERITIES, Problem

# "validate": the problem follows from the stored payload, so revalidation recomputes it.
# "ingest": the problem is only known on receipt (the request path, the raw bytes,
# the source's history), so revalidation keeps it as stored.
STAGES = ("validate", "ingest")
CONCERN_TITLES = {
    "common": "Common fields",
    "calls": "Fields of each call",
    "reserved": "Reserved properties",
    "naming": "Naming",
    "semantic": "Semantic events",
    "size": "Width and size",
    "receipt": "Found on receipt",
    "history": "Across the events of a source",
}


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    title: str
    explanation: str
    fix: str
    # Example messages: ``bad`` makes the rule fire and ``good`` does not.
    bad: dict[str, Any] = field(default_factory=dict)
    good: dict[str, Any] = field(default_factory=dict)
    concern: str = ""
    stage: str = "validate"
    # A source for the rule, when it comes from Segment's documentation.
    reference: str = ""
    # What else must hold for ``bad`` to fire an ingest-stage rule (earlier events, the request).
    example_context: str = ""

    def problem(self, path: str, message: str, suggestion: Any = NO_SUGGESTION) -> Problem:
        return Problem(self.code, self.severity, path, message, suggestion)

    @property
    def concern_title(self) -> str:
        return CONCERN_TITLES.get(self.concern, self.concern)

    def bad_example_problems(self) -> list[Problem]:
        """Return the problems of this code that the validator reports for ``bad``; none for ingest-stage rules."""
        if self.stage != "validate":
            return []
        from .validator import validate

        return [problem for problem in validate(self.bad) if problem.code == self.code]


RULES: dict[str, Rule] = {}


def register(**fields: Any) -> Rule:
    """Declare a rule; codes are unique across all concerns."""
    rule = Rule(**fields)
    if rule.code in RULES:
        raise ValueError(f"Problem code {rule.code!r} is declared twice")
    if rule.severity not in SEVERITIES:
        raise ValueError(f"Rule {rule.code!r} has unknown severity {rule.severity!r}")
    if rule.stage not in STAGES:
        raise ValueError(f"Rule {rule.code!r} has unknown stage {rule.stage!r}")
    RULES[rule.code] = rule
    return rule


def ingest_stage_codes() -> frozenset[str]:
    return frozenset(code for code, rule in RULES.items() if rule.stage == "ingest")
