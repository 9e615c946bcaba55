"""
Serve Trackside with Daphne, in one process or several sharing one port.

With ``--workers N`` the command opens the listening socket itself and starts
N Daphne processes that all accept on it, the way pre-fork servers share a
port; the kernel hands each connection to one of them.

``--server uvicorn`` serves the same application with uvicorn's workers
instead (install the ``uvicorn`` extra). On the 2-core development machine
Daphne spent 0.24 ms of CPU on an empty request and uvicorn 0.033 ms, which
is a third of what a single-event ingest request costs in all.
"""
import signal
import socket
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ASGI_APPLICATION = "tracker.asgi:application"


class Command(BaseCommand):
    help = "Serve HTTP and websockets with Daphne; --workers N runs N processes on one port."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on (default 127.0.0.1).")
        parser.add_argument("--port", type=int, default=8000, help="TCP port to listen on (default 8000).")
        parser.add_argument("--workers", type=int, default=1, help="Server processes to run (default 1).")
        parser.add_argument(
            "--server", choices=["daphne", "uvicorn"], default="daphne",
            help="ASGI server (default daphne; uvicorn needs pip install -e '.[uvicorn]').",
        )
        parser.add_argument(
            "--access-log", action="store_true",
            help="Print a line per request (off by default: at thousands of events a second it costs CPU and says little).",
        )

    def handle(self, *args, host, port, workers, server="daphne", access_log=False, **options):
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        if workers > 1 and "Redis" not in settings.CHANNEL_LAYERS["default"]["BACKEND"]:
            raise CommandError(
                "Several workers need a shared channel layer, or a debugger connected to one worker misses the "
                "events the others store. Set REDIS_URL, for example REDIS_URL=redis://127.0.0.1:6379/0."
            )
        ensure_port_free(host, port)
        if server == "uvicorn":
            self.stdout.write(f"Serving on {host}:{port} with {workers} uvicorn worker(s).")
            serve_with_uvicorn(host, port, workers, access_log)
            return
        daphne_options = daphne_logging_options(access_log)
        if workers == 1:
            self.stdout.write(f"Serving on {host}:{port} with one Daphne process.")
            self.stdout.flush()
            serve_with_daphne(host, port, daphne_options)
            return
        run_workers(host, port, workers, self.stdout, daphne_options)


def ensure_port_free(host: str, port: int) -> None:
    """Raise CommandError, naming the fix, when nothing could listen on ``host:port``."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            raise CommandError(
                f"Cannot listen on {host}:{port}: {error.strerror}. Stop the program using that port, "
                f"or pass another one with --port."
            ) from None


def serve_with_uvicorn(host: str, port: int, workers: int, access_log: bool) -> None:
    try:
        import uvicorn
    except ImportError:
        raise CommandError("uvicorn is not installed; run pip install -e '.[uvicorn]'.") from None
    uvicorn.run(
        ASGI_APPLICATION, host=host, port=port, workers=workers, access_log=access_log,
        log_level="info" if access_log else "warning", lifespan="off",
    )


def daphne_logging_options(access_log: bool) -> list[str]:
    return ["--access-log", "-"] if access_log else ["--verbosity", "0"]


def serve_with_daphne(host: str, port: int, options: list[str] | None = None) -> None:
    from daphne.cli import CommandLineInterface

    CommandLineInterface().run(["--bind", host, "--port", str(port), *(options or []), ASGI_APPLICATION])


def run_workers(host: str, port: int, workers: int, stdout, options: list[str]) -> None:
    if ":" in host:
        # Daphne's "fd:" endpoint adopts IPv4 sockets only (it takes no address family).
        raise CommandError("--workers needs an IPv4 --host; put an IPv6 proxy in front of the workers.")
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind((host, port))
    listener.listen(1024)
    fd = listener.fileno()
    command = [sys.executable, "-m", "daphne", "-e", f"fd:fileno={fd}", *options, ASGI_APPLICATION]
    children = [subprocess.Popen(command, pass_fds=[fd]) for _ in range(workers)]
    stdout.write(f"Serving on {host}:{port} with {workers} Daphne workers (pids {', '.join(str(c.pid) for c in children)})")

    stopping = False

    def stop(signum, frame):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        while not stopping:
            exited = [child for child in children if child.poll() is not None]
            if exited:
                raise CommandError(f"Worker {exited[0].pid} exited with status {exited[0].returncode}; stopping.")
            time.sleep(0.2)
    finally:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in children:
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        listener.close()
