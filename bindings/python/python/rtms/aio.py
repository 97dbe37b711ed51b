"""``rtms.AsyncClient``: a native asyncio API (not in the official SDK).

    async with rtms.AsyncClient(payload, media=("audio", "transcript")) as c:
        async for frame in c.audio():
            print(frame.metadata.userName, frame.size)

Media arrive from the client's dispatcher thread through ``loop.call_soon_threadsafe`` into one
unbounded queue per media type; every iterator ends when the stream ends. Joining and leaving
run in the loop's default executor, so the event loop never blocks.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Dict, Iterable, NamedTuple, Optional, Tuple

from .client import Client
from ._rtms import Metadata
from .exceptions import InvalidArgumentError

__all__ = ["AsyncClient", "Frame"]

_KINDS = ("audio", "video", "deskshare", "transcript", "chat")


class Frame(NamedTuple):
    """One media packet: the arguments of a media callback."""

    data: bytes
    size: int
    timestamp: int
    metadata: Metadata


class _End:
    """Marks the end of a stream in a queue."""


_END = _End()


class AsyncClient:
    """An asyncio client. ``payload``/``join_kwargs`` are what :meth:`rtms.Client.join` takes;
    ``media`` names the media types to receive. Configure more through :attr:`client`
    (``c.client.set_audio_params(...)``) before entering."""

    def __init__(self, payload: Optional[Dict[str, Any]] = None, *, media: Iterable[str] = ("audio", "transcript"), **join_kwargs: Any) -> None:
        self.media: Tuple[str, ...] = tuple(media)
        for kind in self.media:
            if kind not in _KINDS:
                raise InvalidArgumentError(f"unknown media type {kind!r}: choose from {', '.join(_KINDS)}")
        self.client = Client()
        self.leave_reason: Optional[int] = None
        self._payload = payload
        self._join_kwargs = join_kwargs
        self._queues: Dict[str, "asyncio.Queue[Any]"] = {}
        self._closed: Optional[asyncio.Event] = None

    async def __aenter__(self) -> "AsyncClient":
        await self.join()
        return self

    async def __aexit__(self, *_: Any) -> None:
        await self.leave()

    def _post(self, loop: asyncio.AbstractEventLoop, fn: Any, *args: Any) -> None:
        try:
            loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:  # the loop is closed: nobody is listening any more
            pass

    def _ended(self, reason: int) -> None:
        self.leave_reason = reason
        for q in self._queues.values():
            q.put_nowait(_END)
        if self._closed is not None:
            self._closed.set()

    async def join(self) -> None:
        """Joins (raises :class:`rtms.RTMSError` on failure)."""
        loop = asyncio.get_running_loop()
        self._closed = asyncio.Event()
        self._queues = {kind: asyncio.Queue() for kind in self.media}
        for kind, q in self._queues.items():

            def feed(data: bytes, size: int, timestamp: int, metadata: Metadata, q: "asyncio.Queue[Any]" = q) -> None:
                self._post(loop, q.put_nowait, Frame(data, size, timestamp, metadata))

            getattr(self.client, f"on_{kind}_data")(feed)
        self.client.on_leave(lambda reason: self._post(loop, self._ended, reason))

        def on_join_confirm(reason: int) -> None:
            if reason != 0:
                self._post(loop, self._ended, reason)

        self.client.on_join_confirm(on_join_confirm)
        payload, kwargs = self._payload, self._join_kwargs
        if payload is not None:
            await loop.run_in_executor(None, lambda: self.client.join(payload, wait=True, **kwargs))
        else:
            await loop.run_in_executor(None, lambda: self.client.join(wait=True, **kwargs))

    async def leave(self) -> None:
        """Leaves (if joined) and waits until the stream is over."""
        loop = asyncio.get_running_loop()
        await loop.run_in_executor(None, self.client.leave)
        await self.closed()

    async def closed(self) -> Optional[int]:
        """Waits until the stream is over; returns the leave reason."""
        if self._closed is not None:
            await self._closed.wait()
        return self.leave_reason

    async def _frames(self, kind: str) -> AsyncIterator[Frame]:
        q = self._queues.get(kind)
        if q is None:
            raise InvalidArgumentError(f"{kind} is not received: pass media=(..., {kind!r}) and enter the client first")
        while True:
            item = await q.get()
            if isinstance(item, _End):
                q.put_nowait(item)  # later iterators end at once too
                return
            yield item

    def audio(self) -> AsyncIterator[Frame]:
        """Audio frames until the stream ends."""
        return self._frames("audio")

    def video(self) -> AsyncIterator[Frame]:
        """Video frames until the stream ends."""
        return self._frames("video")

    def deskshare(self) -> AsyncIterator[Frame]:
        """Screen-share frames until the stream ends."""
        return self._frames("deskshare")

    def transcript(self) -> AsyncIterator[Frame]:
        """Transcript packets (UTF-8 ``data``) until the stream ends."""
        return self._frames("transcript")

    def chat(self) -> AsyncIterator[Frame]:
        """Chat messages (UTF-8 ``data``) until the stream ends."""
        return self._frames("chat")
