"""Shared fixtures: a simulator per test (real loopback sockets) and quiet core logs."""

from __future__ import annotations

import os
import threading
from typing import Iterator

import pytest

os.environ.setdefault("ZM_RTMS_LOG_LEVEL", "warn")

import rtms  # noqa: E402
from rtms.testing import Simulator  # noqa: E402


@pytest.fixture
def sim() -> Iterator[Simulator]:
    """The `quick` scenario (3 people, everything) at 4x speed."""
    with Simulator("quick", speed=4.0) as s:
        yield s


@pytest.fixture
def minimal() -> Iterator[Simulator]:
    """The `minimal` scenario (1 person, ~3 s) at 4x speed."""
    with Simulator("minimal", speed=4.0) as s:
        yield s


@pytest.fixture(autouse=True)
def _no_leftovers() -> Iterator[None]:
    """Every test leaves no webhook server and no default loop behind."""
    yield
    rtms.webhook._stop_server()
    rtms.stop()


def native_threads() -> int:
    """Threads of this process (Python and native), from /proc."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return threading.active_count()
