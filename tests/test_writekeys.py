import asyncio

import pytest
from django.test import override_settings

from tracker.api import writekeys

pytestmark = pytest.mark.django_db(transaction=True)


@override_settings(TRACKSIDE={"WRITE_KEY_CACHE_SECONDS": 1.5})
def test_prefetch_refreshes_entries_about_to_expire(source, monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(writekeys.time, "monotonic", lambda: clock[0])
    asyncio.run(writekeys.prefetch("wk_web"))
    clock[0] += 1.0  # 0.5 s of validity left, less than the margin
    asyncio.run(writekeys.prefetch("wk_web"))
    clock[0] += 1.0  # still valid only because the second prefetch refreshed it
    hit, found = writekeys._cached("wk_web", clock[0])
    assert hit and found == source
