"""
Sampling profiles of server workers under load, with py-spy.

For each worker, one py-spy writes an SVG flame graph and a second writes the
same kind of samples as collapsed stacks (``raw``), which ``top_frames``
reads to list where the time goes. Both sample without pausing the worker
(``--nonblocking``), so the profiled throughput stays close to the real one.
Both sample only the thread that holds the GIL (``--gil``), because a
request's many threads spend most of their time waiting, and waiting is not
CPU. CPU spent without the GIL (SQLite's C code, the kernel starting threads)
is not in the samples, so compare with the CPU ms per event of the run.
"""
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

SAMPLES_PER_SECOND = 100
# py-spy names a frame "function (path:line)". The tables group by function, not line.
LINE_NUMBER = re.compile(r":\d+\)$")


@dataclass
class Recording:
    processes: list[subprocess.Popen]
    raw_paths: list[Path]
    svg_paths: list[Path]


def py_spy() -> str:
    """Return the py-spy of this virtual environment, or the one on PATH."""
    beside_python = Path(sys.executable).parent / "py-spy"
    path = str(beside_python) if beside_python.exists() else shutil.which("py-spy")
    if path is None:
        raise RuntimeError("py-spy is not installed; run: pip install -r bench/requirements.txt")
    return path


def start_recording(pids: list[int], seconds: float, folder: Path, label: str) -> Recording:
    """Start sampling ``pids`` for ``seconds``; ``finish_recording`` waits for the files."""
    folder.mkdir(parents=True, exist_ok=True)
    recording = Recording([], [], [])
    for pid in pids:
        for kind, suffix, paths in (("flamegraph", "svg", recording.svg_paths), ("raw", "txt", recording.raw_paths)):
            output = folder / f"{label}-{pid}.{suffix}"
            command = [
                py_spy(), "record", "--pid", str(pid), "--duration", str(max(1, round(seconds))),
                "--rate", str(SAMPLES_PER_SECOND), "--nonblocking", "--gil", "--format", kind, "--output", str(output),
            ]
            recording.processes.append(
                subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
            )
            paths.append(output)
    return recording


def finish_recording(recording: Recording, timeout: float = 60) -> list[str]:
    """Wait for every py-spy; return its error output when one failed (missing ptrace rights, for example)."""
    errors = []
    for process in recording.processes:
        try:
            _, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
        if process.returncode != 0:
            errors.append(stderr.strip())
    return errors


def read_collapsed(paths: list[Path]) -> Counter:
    """Sum collapsed stacks (``frame;frame;frame count`` lines) of several files."""
    stacks: Counter = Counter()
    for path in paths:
        if not path.exists():
            continue
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            if stack and count.isdigit():
                stacks[stack] += int(count)
    return stacks


def top_frames(stacks: Counter, limit: int = 25) -> tuple[int, list[tuple[str, int]], list[tuple[str, int]]]:
    """Return the sample total, the frames with the most own samples, and with the most samples below them."""
    own: Counter = Counter()
    inclusive: Counter = Counter()
    total = 0
    for stack, count in stacks.items():
        frames = [LINE_NUMBER.sub(")", frame) for frame in stack.split(";")]
        total += count
        own[frames[-1]] += count
        # A recursive frame counts once per sample.
        for frame in set(frames):
            inclusive[frame] += count
    return total, own.most_common(limit), inclusive.most_common(limit)


def format_top(stacks: Counter, limit: int = 25) -> str:
    total, own, inclusive = top_frames(stacks, limit)
    if not total:
        return "no samples"
    lines = [f"{total} samples", "", "own time (the frame itself was running):"]
    lines += [f"  {100 * count / total:5.1f}%  {frame}" for frame, count in own]
    lines += ["", "inclusive time (the frame or anything it called):"]
    lines += [f"  {100 * count / total:5.1f}%  {frame}" for frame, count in inclusive]
    return "\n".join(lines)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Print the top frames of py-spy raw (collapsed stack) files.")
    parser.add_argument("files", nargs="+", type=Path, help="Files written by py-spy record --format raw.")
    parser.add_argument("--limit", type=int, default=25, help="Frames to list per table (default 25).")
    args = parser.parse_args()
    print(format_top(read_collapsed(args.files), args.limit))


if __name__ == "__main__":
    main()
