"""
Group commit: concurrent ingest requests share one database transaction.

Each request prepares its batch (parse, enrich, validate: CPU only), then
awaits ``submit``. One drain task per event loop stores everything submitted
so far in a single transaction, resolves the waiting requests, and broadcasts
the whole group to the live debugger once. While a commit runs, new requests
queue for the next one, so groups grow with load and a lone request is
committed at once: no timer adds latency. Each request gets its response
only after its commit, so a 200 always means stored.

The store runs through ``sync_to_async(thread_sensitive=True)``: in a server
that is asgiref's single sync thread, so commits never overlap within a
process; under Django's test client it is the test's own thread, inside the
test's transaction.
"""
import asyncio
import contextvars
import logging
import weakref
from collections.abc import Callable, Sequence

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connection

from tracker.conf import trackside_settings

from . import storage

logger = logging.getLogger(__name__)

Broadcast = Callable[[Sequence[storage.Batch]], object]


class GroupCommitter:
    """Store submitted batches in shared transactions; one instance per event loop."""

    def __init__(self, broadcast: Broadcast | None = None):
        self.pending: list[tuple[storage.Batch, asyncio.Future]] = []
        self.draining = False
        self.broadcast = broadcast
        self.groups = 0
        self.batches = 0

    async def submit(self, batch: storage.Batch) -> None:
        """Return once ``batch`` is committed; raise what the commit raised."""
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self.pending.append((batch, future))
        if not self.draining:
            self.draining = True
            # A fresh context: the drain task must not inherit the first request's
            # thread-sensitive context, which ends with that request.
            loop.create_task(self._drain(), context=contextvars.Context())
        await future

    def _take_group(self) -> list[tuple[storage.Batch, asyncio.Future]]:
        limit = trackside_settings.GROUP_COMMIT_MAX_EVENTS
        taken = 0
        size = 0
        for batch, _ in self.pending:
            if taken and size + len(batch.events) > limit:
                break
            size += len(batch.events)
            taken += 1
        group, self.pending = self.pending[:taken], self.pending[taken:]
        return group

    async def _drain(self) -> None:
        try:
            while self.pending:
                group = self._take_group()
                batches = [batch for batch, _ in group]
                try:
                    await sync_to_async(_store_group, thread_sensitive=True)(batches)
                except Exception as error:
                    logger.exception("Group commit of %d requests failed", len(group))
                    for _, future in group:
                        if not future.done():
                            future.set_exception(error)
                    continue
                self.groups += 1
                self.batches += len(group)
                for _, future in group:
                    if not future.done():
                        future.set_result(None)
                if self.broadcast is not None:
                    await self._broadcast(batches)
        finally:
            self.draining = False

    async def _broadcast(self, batches: list[storage.Batch]) -> None:
        try:
            result = self.broadcast(batches)
            if asyncio.iscoroutine(result):
                await result
        except Exception:
            # Stored is stored: a failed broadcast only costs the live view.
            logger.exception("Broadcast of a committed group failed")


def _store_group(batches: list[storage.Batch]) -> None:
    # Ingest requests send no request signals, so this thread's connection is
    # recycled here instead: closed when broken or past CONN_MAX_AGE (with
    # PostgreSQL's pool, returned to the pool). Inside a transaction (a test's)
    # it is left alone.
    if not connection.in_atomic_block:
        close_old_connections()
    storage.store(batches)


_committers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, GroupCommitter]" = weakref.WeakKeyDictionary()


def committer_for_loop(broadcast: Broadcast | None) -> GroupCommitter:
    """Return the committer of the running event loop, creating it on first use."""
    loop = asyncio.get_running_loop()
    committer = _committers.get(loop)
    if committer is None:
        committer = _committers[loop] = GroupCommitter(broadcast)
    return committer
