"""
The examples declared with each rule are themselves tested: the bad example
fires the rule's code and the good one does not. Ingest-stage rules need a
request or earlier events, so their examples run through the ingest API in
test_validation_receipt.py and test_history.py. This file checks that each
of them is covered there.
"""
import re
import subprocess
import sys

import pytest

from tracker.validation import RULES, ingest_stage_codes, validate
from tracker.validation.rules import CONCERN_TITLES, STAGES

from .test_history import INGEST_CODES_TESTED as HISTORY_CODES_TESTED
from .test_validation_receipt import INGEST_CODES_TESTED as RECEIPT_CODES_TESTED

VALIDATE_RULES = sorted(code for code, rule in RULES.items() if rule.stage == "validate")


@pytest.mark.parametrize("code", VALIDATE_RULES)
def test_bad_example_fires(code):
    rule = RULES[code]
    codes = [problem.code for problem in validate(rule.bad)]
    assert code in codes


@pytest.mark.parametrize("code", VALIDATE_RULES)
def test_good_example_passes(code):
    rule = RULES[code]
    codes = [problem.code for problem in validate(rule.good)]
    assert code not in codes


@pytest.mark.parametrize("code", VALIDATE_RULES)
def test_good_example_has_no_errors(code):
    """A good example shows the fix, so it must not break another rule at error level either."""
    errors = [problem.as_dict() for problem in validate(RULES[code].good) if problem.severity == "error"]
    assert errors == []


@pytest.mark.parametrize("code", sorted(RULES))
def test_rule_metadata_complete(code):
    rule = RULES[code]
    assert rule.title
    assert rule.explanation
    assert rule.fix
    assert rule.bad
    assert rule.good
    assert rule.bad != rule.good
    assert rule.stage in STAGES
    assert rule.concern in CONCERN_TITLES


@pytest.mark.parametrize("code", sorted(RULES))
def test_code_is_snake_case(code):
    assert re.fullmatch(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", code)


def test_ingest_stage_codes_tested_through_api():
    assert ingest_stage_codes() == RECEIPT_CODES_TESTED | HISTORY_CODES_TESTED


def test_bad_example_problems_of_validate_rule():
    problems = RULES["currency_invalid"].bad_example_problems()
    assert [problem.suggestion for problem in problems] == ["USD"]


def test_bad_example_problems_of_ingest_rule():
    assert RULES["property_type_drift"].bad_example_problems() == []


def test_rule_count():
    """Counts every code, so a rule dropped by accident shows up here."""
    assert len(RULES) == 46
    assert len(ingest_stage_codes()) == 7


def test_rules_complete_in_fresh_interpreter():
    """Importing the package alone registers every code, the ingest-stage ones included, and no Django."""
    script = (
        "import sys, tracker.validation as v; "
        "print(len(v.RULES), len(v.ingest_stage_codes()), 'django' in sys.modules)"
    )
    output = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert output.split() == [str(len(RULES)), "7", "False"]
