"""
Group commit: concurrent ingest requests share one database transaction.

Each request prepares its batch (parse, enrich, validate: CPU only), queues
it, then takes the committer's lock. Whoever holds the lock stores every
queued batch in one transaction, marks them committed, broadcasts the group
to the live debugger once, and releases the lock; a request whose batch was
committed by an earlier holder returns as soon as it gets the lock. While a
commit runs, new requests queue for the next one, so groups grow with load
and a lone request is committed at once: no timer adds latency. Each request
gets its response only after its commit, so a 200 always means stored.

The store runs through ``sync_to_async(thread_sensitive=True)`` in the lock
holder's own context: in a server that is asgiref's single sync thread, so
commits never overlap within a process; under Django's test client it is the
test's own thread, inside the test's transaction.
"""
import asyncio
import logging
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from asgiref.sync import sync_to_async
from django.db import close_old_connections, connection

from tracker.conf import trackside_settings

from . import storage
from .writelock import sqlite_write_lock

logger = logging.getLogger(__name__)

Broadcast = Callable[[Sequence[storage.Batch]], object]


@dataclass
class _Queued:
    batch: storage.Batch
    committed: asyncio.Future


class GroupCommitter:
    """Store queued batches in shared transactions; one instance per event loop."""

    def __init__(self, broadcast: Broadcast | None = None):
        self.queue: list[_Queued] = []
        self.lock = asyncio.Lock()
        self.broadcast = broadcast
        self.groups = 0
        self.batches = 0

    async def submit(self, batch: storage.Batch) -> None:
        """Return once ``batch`` is committed; raise what its commit raised."""
        queued = _Queued(batch, asyncio.get_running_loop().create_future())
        self.queue.append(queued)
        async with self.lock:
            if not queued.committed.done():
                await self._commit_queued()
        queued.committed.result()

    def _take_group(self) -> list[_Queued]:
        limit = trackside_settings.GROUP_COMMIT_MAX_EVENTS
        taken = 0
        size = 0
        for queued in self.queue:
            if taken and size + len(queued.batch.events) > limit:
                break
            size += len(queued.batch.events)
            taken += 1
        group, self.queue = self.queue[:taken], self.queue[taken:]
        return group

    async def _commit_queued(self) -> None:
        group = self._take_group()
        batches = [queued.batch for queued in group]
        try:
            await sync_to_async(_store_group, thread_sensitive=True)(batches)
        except Exception as error:
            logger.exception("Group commit of %d requests failed", len(group))
            for queued in group:
                queued.committed.set_exception(error)
            return
        self.groups += 1
        self.batches += len(group)
        for queued in group:
            queued.committed.set_result(None)
        if self.broadcast is not None:
            await self._broadcast(batches)

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
    with sqlite_write_lock():
        storage.store(batches)


_committers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, GroupCommitter]" = weakref.WeakKeyDictionary()


def committer_for_loop(broadcast: Broadcast | None) -> GroupCommitter:
    """Return the committer of the running event loop, creating it on first use."""
    loop = asyncio.get_running_loop()
    committer = _committers.get(loop)
    if committer is None:
        committer = _committers[loop] = GroupCommitter(broadcast)
    return committer
