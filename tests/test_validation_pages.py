"""The documentation page of every problem code, and the index that links them."""
import pytest
from django.utils.html import escape

from tracker.validation import RULES


@pytest.mark.django_db
@pytest.mark.parametrize("code", sorted(RULES))
def test_problem_page(client, code):
    rule = RULES[code]
    response = client.get(f"/debugger/problems/{code}/")

    assert response.status_code == 200
    page = response.content.decode()
    for text in (rule.title, rule.explanation, rule.fix, rule.severity):
        assert escape(text) in page
    assert escape(response.context["bad_json"]) in page
    assert escape(response.context["good_json"]) in page
    for problem in rule.bad_example_problems():
        assert escape(problem.message) in page


@pytest.mark.django_db
def test_problem_page_reports_bad_example(client):
    page = client.get("/debugger/problems/currency_invalid/").content.decode()
    assert "What Trackside reports" in page
    assert escape('currency is the string "usd", which is not an ISO 4217 code. Send "USD".') in page


@pytest.mark.django_db
def test_ingest_rule_page_shows_context(client):
    page = client.get("/debugger/problems/property_type_drift/").content.decode()
    assert escape(RULES["property_type_drift"].example_context) in page
    assert "revalidation keeps it as stored" in page
    assert "What Trackside reports" not in page


@pytest.mark.django_db
def test_problem_page_links_reference(client):
    page = client.get("/debugger/problems/semantic_v1_alias/").content.decode()
    assert 'href="http://segment.com/docs/connections/spec/ecommerce/v2/"' in page


@pytest.mark.django_db
def test_problem_index_links_every_code(client):
    page = client.get("/debugger/problems/").content.decode()
    for code in RULES:
        assert f'href="/debugger/problems/{code}/"' in page
    assert "Semantic events" in page
    assert "Across the events of a source" in page


@pytest.mark.django_db
def test_unknown_problem_code(client):
    assert client.get("/debugger/problems/no_such_code/").status_code == 404
