"""Bookkeeping of skipped events: counts, id ranges and the notice interval."""
from debugger.flow import GapCounter, SkipTracker


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_gap_counter_first_message_misses_nothing():
    gaps = GapCounter()
    assert gaps.missed("a", sent=50, size=10) == 0


def test_gap_counter_counts_lost_items():
    gaps = GapCounter()
    gaps.missed("a", sent=10, size=10)
    assert gaps.missed("a", sent=15, size=5) == 0
    assert gaps.missed("a", sent=40, size=5) == 20


def test_gap_counter_keeps_origins_apart():
    gaps = GapCounter()
    gaps.missed("a", sent=10, size=10)
    assert gaps.missed("b", sent=500, size=1) == 0
    assert gaps.missed("a", sent=11, size=1) == 0


def test_gap_counter_ignores_a_restarted_origin():
    gaps = GapCounter()
    gaps.missed("a", sent=100, size=1)
    assert gaps.missed("a", sent=3, size=1) == 0


def test_skipped_events_give_closed_range():
    skips = SkipTracker(1.0, clock=FakeClock())
    for event_id in (12, 10, 11):
        skips.skip_event(event_id)
    skipped = skips.take()
    assert (skipped.count, skipped.after_id, skipped.before_id) == (3, 9, 13)
    assert skips.take() is None


def test_unknown_skips_leave_range_open():
    skips = SkipTracker(1.0, clock=FakeClock())
    skips.skip_unknown(4, last_known_id=30)
    skips.skip_event(40)
    skipped = skips.take()
    assert (skipped.count, skipped.after_id, skipped.before_id) == (5, 30, None)


def test_unknown_skips_before_any_event_have_no_bound():
    skips = SkipTracker(1.0, clock=FakeClock())
    skips.skip_unknown(2, last_known_id=None)
    skips.skip_unknown(2, last_known_id=8)
    skipped = skips.take()
    assert (skipped.count, skipped.after_id, skipped.before_id) == (4, None, None)


def test_notice_interval():
    clock = FakeClock()
    skips = SkipTracker(1.0, clock=clock)
    assert skips.seconds_until_due() == 0
    skips.skip_event(1)
    skips.take()
    assert skips.seconds_until_due() == 1.0
    clock.now += 0.4
    assert abs(skips.seconds_until_due() - 0.6) < 1e-9
    clock.now += 0.6
    assert skips.seconds_until_due() == 0


def test_total_survives_notices_and_clear():
    skips = SkipTracker(1.0, clock=FakeClock())
    skips.skip_event(1)
    skips.take()
    skips.skip_event(2)
    skips.clear()
    assert skips.total == 2
    assert skips.take() is None
