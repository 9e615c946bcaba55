"""
Trackside's validator: plain Python, no Django, usable from the command line
and from users' own tests.

    >>> from tracker.validation import validate
    >>> [p.code for p in validate({"type": "track", "userId": "u_1", "properties": {"revenue": "25.50"}})]
    ['event_missing', 'amount_not_number']
"""
# Every rule module registers its codes on import, the ingest-stage ones included,
# so RULES is complete (for the documentation pages and revalidation) whatever
# the caller imported before.
from . import history, receipt  # noqa: F401
from .paths import format_path
from .problems import ERROR, INFO, NO_SUGGESTION, SEVERITIES, SEVERITY_RANK, WARNING, Problem, worst_severity
from .rules import RULES, Rule, ingest_stage_codes
from .validator import validate

__all__ = [
    "ERROR",
    "INFO",
    "NO_SUGGESTION",
    "RULES",
    "SEVERITIES",
    "SEVERITY_RANK",
    "WARNING",
    "Problem",
    "Rule",
    "format_path",
    "ingest_stage_codes",
    "validate",
    "worst_severity",
]
