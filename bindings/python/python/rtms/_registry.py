"""Which clients are live, and who wants to know when that changes (``run()``, event loops).

Waiters block on one condition variable, or, for asyncio, register a watcher called on every
change; nothing polls.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Callable, Dict, List, Optional

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .client import Client
    from .loop import EventLoop

cond = threading.Condition()
#: Live clients (joining or joined), by id.
clients: Dict[int, "Client"] = {}
#: Called (from any thread) after every change; asyncio waiters use it to wake their loop.
watchers: List[Callable[[], None]] = []
#: The loop of a running ``rtms.run()`` / ``rtms.run_async()``.
default_loop: Optional["EventLoop"] = None
#: The executor given to ``rtms.run(executor=...)``.
run_executor: Optional["Executor"] = None


def changed() -> None:
    """Wakes every waiter."""
    with cond:
        cond.notify_all()
        callbacks = list(watchers)
    for watcher in callbacks:
        watcher()


def add(client: "Client") -> None:
    with cond:
        clients[id(client)] = client
    changed()


def remove(client: "Client") -> None:
    with cond:
        clients.pop(id(client), None)
    changed()
