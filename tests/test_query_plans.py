"""The ingest hot path's lookups use the indexes meant for them."""
import pytest
from django.db import connection

from tracker.ingest.storage import open_events_query

pytestmark = pytest.mark.django_db


def test_dedup_lookup_probes_the_dedup_index(source):
    queryset = open_events_query(source.pk, [f"m-{i}" for i in range(100)])
    sql, params = queryset.query.sql_with_params()
    # An ORDER BY id made SQLite scan every event of the source instead.
    assert "ORDER BY" not in sql
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " ".join(str(row) for row in cursor.fetchall())
        assert "(source_id=? AND message_id=?)" in plan, plan
