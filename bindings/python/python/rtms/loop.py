"""``rtms.run()``, ``run_async()``, ``stop()``, ``EventLoop`` and ``EventLoopPool``.

The official SDK needs these loops because its C library delivers events only inside ``poll()``
on the thread that created the client. Here events are pushed to callbacks by each client's
dispatcher thread, so the loops only *keep the program alive*: they block (or await) until
stopped or, with ``stop_on_empty``, until their clients have all left. They wait on a condition
variable (or an asyncio event), never on a timer. ``poll_interval`` is accepted and ignored.
"""

from __future__ import annotations

import asyncio
import itertools
import threading
from typing import TYPE_CHECKING, List, Optional, Set

from . import _registry

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .client import Client

__all__ = ["EventLoop", "EventLoopPool", "run", "run_async", "stop"]

_names = itertools.count(1)


class EventLoop:
    """Keeps the program alive for the clients added to it (official ``rtms.EventLoop``)."""

    def __init__(self, poll_interval: float = 0.01, name: Optional[str] = None) -> None:
        self.poll_interval = poll_interval
        self.name = name or f"rtms-loop-{next(_names)}"
        self._clients: Set["Client"] = set()
        self._stopped = False
        self._thread: Optional[threading.Thread] = None

    @property
    def client_count(self) -> int:
        """Clients of this loop that are joining or joined."""
        with _registry.cond:
            return sum(1 for c in self._clients if c._active)

    def add(self, client: "Client") -> None:
        """Assigns a client to this loop (before or after its ``join()``)."""
        client._assigned_loop = self
        self._track(client)

    def _track(self, client: "Client") -> None:
        with _registry.cond:
            self._clients = {c for c in self._clients if c._active}
            self._clients.add(client)
        _registry.changed()

    def _should_stop(self, stop_on_empty: bool) -> bool:
        if self._stopped:
            return True
        return stop_on_empty and not any(c._active for c in self._clients)

    def run(self, stop_on_empty: bool = False) -> None:
        """Blocks until :meth:`stop` or (with ``stop_on_empty``) until no client is live."""
        self._stopped = False
        with _registry.cond:
            while not self._should_stop(stop_on_empty):
                _registry.cond.wait()

    async def run_async(self, stop_on_empty: bool = False) -> None:
        """Like :meth:`run`, as a coroutine that leaves the asyncio loop free."""
        self._stopped = False
        loop = asyncio.get_running_loop()
        wake = asyncio.Event()

        def watcher() -> None:
            try:
                loop.call_soon_threadsafe(wake.set)
            except RuntimeError:  # loop closed
                pass

        with _registry.cond:
            _registry.watchers.append(watcher)
        try:
            while True:
                wake.clear()
                with _registry.cond:
                    if self._should_stop(stop_on_empty):
                        return
                await wake.wait()
        except asyncio.CancelledError:
            self._stopped = True
            raise
        finally:
            with _registry.cond:
                _registry.watchers.remove(watcher)

    def start(self) -> "EventLoop":
        """Runs :meth:`run` on a daemon thread; returns self."""
        self._stopped = False
        self._thread = threading.Thread(target=self.run, name=self.name, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Makes :meth:`run` / :meth:`run_async` return."""
        self._stopped = True
        _registry.changed()

    def join(self, timeout: Optional[float] = None) -> None:
        """Waits for the thread of :meth:`start`."""
        if self._thread is not None:
            self._thread.join(timeout)

    def __repr__(self) -> str:
        return f"<rtms.EventLoop {self.name} clients={self.client_count}>"


class EventLoopPool:
    """Several :class:`EventLoop`\\ s with clients spread over them (official API)."""

    def __init__(self, threads: int = 4, poll_interval: float = 0.01, strategy: str = "least_loaded") -> None:
        if threads < 1:
            raise ValueError("threads must be at least 1")
        if strategy not in ("least_loaded", "round_robin"):
            raise ValueError(f"unknown strategy {strategy!r}: use 'least_loaded' or 'round_robin'")
        self.strategy = strategy
        self._loops = [EventLoop(poll_interval, name=f"rtms-pool-{i}") for i in range(threads)]
        self._next = itertools.cycle(range(threads))

    @property
    def loops(self) -> List[EventLoop]:
        """The loops."""
        return list(self._loops)

    @property
    def client_count(self) -> int:
        """Live clients over all loops."""
        return sum(loop.client_count for loop in self._loops)

    def add(self, client: "Client") -> EventLoop:
        """Assigns a client to a loop by the strategy; returns that loop."""
        if self.strategy == "round_robin":
            loop = self._loops[next(self._next)]
        else:
            loop = min(self._loops, key=lambda lp: lp.client_count)
        loop.add(client)
        return loop

    def run(self, stop_on_empty: bool = False) -> None:
        """Runs every loop; returns when all have returned."""
        threads = [threading.Thread(target=lp.run, args=(stop_on_empty,), name=lp.name, daemon=True) for lp in self._loops[:-1]]
        for t in threads:
            t.start()
        try:
            self._loops[-1].run(stop_on_empty)
        finally:
            for t in threads:
                t.join()

    async def run_async(self, stop_on_empty: bool = False) -> None:
        """Runs every loop as a coroutine."""
        await asyncio.gather(*(lp.run_async(stop_on_empty) for lp in self._loops))

    def stop(self) -> None:
        """Stops every loop."""
        for lp in self._loops:
            lp.stop()


def _begin(executor: Optional["Executor"], poll_interval: float) -> EventLoop:
    loop = EventLoop(poll_interval, name="rtms-default")
    with _registry.cond:
        for client in _registry.clients.values():
            if client._assigned_loop is None:
                loop._clients.add(client)
        _registry.default_loop = loop
        _registry.run_executor = executor
    return loop


def _end(loop: EventLoop) -> None:
    with _registry.cond:
        if _registry.default_loop is loop:
            _registry.default_loop = None
            _registry.run_executor = None


def run(poll_interval: float = 0.01, stop_on_empty: bool = False, executor: Optional["Executor"] = None) -> None:
    """Blocks until :func:`stop` (or Ctrl-C), or with ``stop_on_empty`` until every client
    that joined meanwhile has left. ``executor`` dispatches media callbacks registered while it
    runs (for clients without their own)."""
    loop = _begin(executor, poll_interval)
    try:
        loop.run(stop_on_empty)
    finally:
        _end(loop)


async def run_async(poll_interval: float = 0.01, stop_on_empty: bool = False, executor: Optional["Executor"] = None) -> None:
    """:func:`run` as a coroutine, beside an aiohttp/FastAPI server on the same loop."""
    loop = _begin(executor, poll_interval)
    try:
        await loop.run_async(stop_on_empty)
    finally:
        _end(loop)


def stop() -> None:
    """Makes :func:`run` / :func:`run_async` return."""
    loop = _registry.default_loop
    if loop is not None:
        loop.stop()
    else:
        _registry.changed()


