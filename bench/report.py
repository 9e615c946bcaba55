"""
The printed results of bench/run.py: one table row per measurement, the
ratio Trackside / reference from the same run, and a line per target.
"""
from collections.abc import Iterable

from measure import Measurement

# Targets for Trackside on 2 cores. Single-event requests: Segment's guidance
# of about 1,000 events/s per workspace is the first step, and the about
# 1,700 requests/s that RudderStack publishes for its Go gateway on 2 vCPU is
# the goal.
SINGLE_FIRST_STEP_RPS = 1000
SINGLE_GOAL_RPS = 1700
SINGLE_MIN_RATIO = 0.25
BATCH_MIN_RATIO = 0.70
DEBUGGER_MAX_COST = 0.10

COLUMNS = (
    ("scenario", 22), ("server", 9), ("N", 2), ("events/s", 9), ("req/s", 8), ("p50 ms", 8), ("p99 ms", 8),
    ("CPU ms/ev", 9), ("RSS MB", 7), ("TS/ref", 6), ("check", 5),
)


def reference_for(measurement: Measurement, measurements: Iterable[Measurement]) -> Measurement | None:
    """Return the reference measured on the same endpoint and database in this run."""
    for other in measurements:
        if other.server == "reference" and (other.endpoint, other.database) == (measurement.endpoint, measurement.database):
            return other
    return None


def ratio(measurement: Measurement, measurements: list[Measurement]) -> float | None:
    reference = reference_for(measurement, measurements)
    if measurement.server != "trackside" or reference is None or not reference.events_per_s:
        return None
    return measurement.events_per_s / reference.events_per_s


def format_table(measurements: list[Measurement]) -> str:
    header = " ".join(name.rjust(width) if index > 1 else name.ljust(width) for index, (name, width) in enumerate(COLUMNS))
    lines = [header, "-" * len(header)]
    for measurement in measurements:
        lines.append(_row(measurement, measurements))
    notes = [
        f"  [{index}] {measurement.scenario} {measurement.server}: {problem}"
        for index, measurement in enumerate(measurements, 1)
        for problem in measurement.problems
    ]
    if notes:
        lines += ["", "Problems (a row with problems is not a valid result):", *notes]
    findings = [
        f"  {measurement.scenario} {measurement.server}: {note}"
        for measurement in measurements
        for note in measurement.notes
    ]
    if findings:
        lines += ["", "Notes:", *findings]
    clients = [
        f"  {m.scenario}: " + ", ".join(f"{c['events']} events, {c['skipped']} skipped" for c in m.clients)
        for m in measurements if m.clients
    ]
    if clients:
        lines += ["", "Debugger websocket clients received:", *clients]
    return "\n".join(lines)


def _row(measurement: Measurement, measurements: list[Measurement]) -> str:
    value = ratio(measurement, measurements)
    index = measurements.index(measurement) + 1
    cells = [
        measurement.scenario, measurement.server, str(measurement.workers),
        f"{measurement.events_per_s:,.0f}", f"{measurement.requests_per_s:,.0f}",
        f"{measurement.p50_ms:.1f}", f"{measurement.p99_ms:.1f}", f"{measurement.cpu_ms_per_event:.3f}",
        f"{measurement.rss_mb:.0f}", f"{value:.2f}" if value is not None else "",
        f"[{index}]" if measurement.problems else "ok",
    ]
    return " ".join(
        cell.rjust(width) if position > 1 else cell.ljust(width)
        for position, (cell, (_, width)) in enumerate(zip(cells, COLUMNS))
    )


def target_lines(measurements: list[Measurement]) -> list[str]:
    """Evaluate each target that this run measured; a row with problems makes its target unknown."""
    lines = []
    for database in dict.fromkeys(m.database for m in measurements):
        single = _find(measurements, "trackside", "track", database, 0)
        batch = _find(measurements, "trackside", "batch", database, 0)
        if single is not None:
            rps = single.requests_per_s
            lines.append(_verdict(single, rps >= SINGLE_FIRST_STEP_RPS,
                                  f"{database}: single /v1/track >= {SINGLE_FIRST_STEP_RPS:,} req/s (first step): {rps:,.0f}"))
            lines.append(_verdict(single, rps >= SINGLE_GOAL_RPS,
                                  f"{database}: single /v1/track >= {SINGLE_GOAL_RPS:,} req/s (goal): {rps:,.0f}"))
            lines += _ratio_line(single, measurements, SINGLE_MIN_RATIO, f"{database}: single /v1/track")
        if batch is not None:
            lines += _ratio_line(batch, measurements, BATCH_MIN_RATIO, f"{database}: /v1/batch events/s")
        for endpoint in dict.fromkeys(m.endpoint for m in measurements):
            lines += _debugger_cost_line(measurements, endpoint, database)
    return lines


def _find(measurements, server, endpoint, database, debuggers) -> Measurement | None:
    for m in measurements:
        if (m.server, m.endpoint, m.database, m.debuggers) == (server, endpoint, database, debuggers):
            return m
    return None


def _verdict(measurement: Measurement, met: bool, text: str, *others: Measurement) -> str:
    if measurement.problems or any(other.problems for other in others):
        return f"UNKNOWN  {text} (the measurement has problems)"
    return f"{'met    ' if met else 'NOT MET'}  {text}"


def _ratio_line(measurement: Measurement, measurements: list[Measurement], minimum: float, label: str) -> list[str]:
    reference = reference_for(measurement, measurements)
    value = ratio(measurement, measurements)
    if reference is None or value is None:
        return []
    text = f"{label} >= {minimum:.0%} of the reference: {value:.1%}"
    return [_verdict(measurement, value >= minimum, text, reference)]


def _debugger_cost_line(measurements: list[Measurement], endpoint: str, database: str) -> list[str]:
    without = _find(measurements, "trackside", endpoint, database, 0)
    watched = next(
        (m for m in measurements if (m.server, m.endpoint, m.database) == ("trackside", endpoint, database) and m.debuggers),
        None,
    )
    if without is None or watched is None or not without.events_per_s:
        return []
    cost = 1 - watched.events_per_s / without.events_per_s
    text = (f"{database}: {watched.debuggers} debugger clients cost < {DEBUGGER_MAX_COST:.0%} of {endpoint} "
            f"throughput: {cost:.1%}")
    return [_verdict(watched, cost < DEBUGGER_MAX_COST, text, without)]
