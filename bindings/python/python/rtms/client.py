"""``rtms.Client``: the official SDK's client API over the native ``rtms._rtms.Client``.

Every callback registrar works as a call (``client.on_audio_data(fn)``), as a decorator
(``@client.on_audio_data``, ``@client.on_audio_data()``), in snake_case and camelCase. Callbacks
run on the client's dispatcher thread (one per session, started by ``join``), in order, with
the GIL held only while Python runs. A callback that raises is logged with its traceback on the
``rtms`` logger and the stream goes on. ``async def`` callbacks are scheduled on the asyncio
loop that was running when they were registered; with ``Client(executor=...)`` (or
``rtms.run(executor=...)``) media callbacks are submitted to the executor.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import os
import threading
import weakref
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterable, List, Literal, Optional, Tuple, TypeVar, Union, overload

from . import _registry, _rtms
from .exceptions import InvalidArgumentError, RTMSError
from .params import AudioParams, ChatParams, DeskshareParams, TranscriptParams, VideoParams

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from .loop import EventLoop
    from .webhook import WebhookServer

__all__ = ["Client"]

_log = logging.getLogger("rtms")
_F = TypeVar("_F", bound=Callable[..., Any])

#: The id fields of a join, in the official priority order, and the product each names.
_ID_FIELDS: Tuple[Tuple[str, str], ...] = (
    ("meeting_uuid", "meeting"),
    ("webinar_uuid", "webinar"),
    ("session_id", "session"),
    ("engagement_id", "engagement"),
)

#: CA file set by ``rtms.initialize(ca_path)``, used by joins without ``ca``.
_default_ca: Optional[str] = None


def _log_task_error(what: str) -> Callable[[Any], None]:
    def done(fut: Any) -> None:
        if fut.cancelled():
            return
        exc = fut.exception()
        if exc is not None:
            _log.error("%s raised an exception; the stream continues", what, exc_info=exc)

    return done


def _schedule_coroutine(loop: asyncio.AbstractEventLoop, what: str, coro: Any) -> None:
    def start() -> None:
        task = asyncio.ensure_future(coro)
        task.add_done_callback(_log_task_error(what))

    try:
        loop.call_soon_threadsafe(start)
    except RuntimeError:  # the loop was closed meanwhile
        coro.close()
        _log.warning("%s: its asyncio loop is closed; call dropped", what)


def _registrar(handler: str, *, events: Iterable[int] = (), media: int = 0, data: bool = False, doc: str = "") -> Callable[..., Any]:
    """A registrar method: ``client.on_x(fn)`` or ``@client.on_x`` / ``@client.on_x()``."""
    events = tuple(events)

    def register(self: "Client", callback: Optional[Callable[..., Any]] = None) -> Any:
        if callback is None:
            return lambda cb: register(self, cb)
        if not callable(callback):
            raise InvalidArgumentError(f"{handler} callback must be callable, got {type(callback).__name__}")
        self._register(handler, callback, events=events, media=media, data=data)
        return callback

    register.__doc__ = doc
    register.__name__ = f"on_{handler}"
    return register


class Client:
    """A Zoom RTMS client (the official ``rtms.Client``).

    Args:
        executor: a ``concurrent.futures.Executor``; when given, media callbacks (audio, video,
            deskshare, transcript, chat) are submitted to it instead of running on the
            dispatcher thread.
    """

    def __init__(self, executor: Optional["Executor"] = None) -> None:
        self._native = _rtms.Client()
        self._executor = executor
        self._callbacks: Dict[str, Callable[..., Any]] = {}
        self._uuid = ""
        self._stream_id = ""
        self._active = False
        self._leave_requested = False
        self._done = threading.Event()
        self._done.set()
        self._webhook_server: Optional["WebhookServer"] = None
        self._assigned_loop: Optional["EventLoop"] = None
        self._last_leave_reason: Optional[int] = None
        self._last_join_reason: Optional[int] = None
        # Lifecycle hooks hold the client weakly: no reference cycle through native code.
        ref = weakref.ref(self)

        def on_join_confirm(reason: int) -> None:
            me = ref()
            if me is not None:
                me._joined(reason)

        def on_leave(reason: int) -> None:
            me = ref()
            if me is not None:
                me._left(reason)

        self._native.set_handler("join_confirm", on_join_confirm)
        self._native.set_handler("leave", on_leave)

    # ------------------------------------------------------------------ lifecycle

    def _joined(self, reason: int) -> None:
        self._last_join_reason = reason
        if reason != 0:
            self._finish()
        elif self._leave_requested:
            self._native.request_leave()
        cb = self._callbacks.get("join_confirm")
        if cb is not None:
            cb(reason)

    def _left(self, reason: int) -> None:
        self._last_leave_reason = reason
        try:
            cb = self._callbacks.get("leave")
            if cb is not None:
                cb(reason)
        finally:
            self._finish()

    def _start(self) -> None:
        self._active = True
        self._leave_requested = False
        self._done.clear()
        loop = self._assigned_loop or _registry.default_loop
        if loop is not None:
            loop._track(self)
        _registry.add(self)

    def _finish(self) -> None:
        self._active = False
        self._done.set()
        _registry.remove(self)

    # ------------------------------------------------------------------ callbacks

    def _wrap(self, handler: str, callback: Callable[..., Any], data: bool) -> Callable[..., Any]:
        what = f"{handler} callback {getattr(callback, '__qualname__', repr(callback))}"
        if inspect.iscoroutinefunction(callback):
            try:
                loop: Optional[asyncio.AbstractEventLoop] = asyncio.get_running_loop()
            except RuntimeError:
                loop = None

            def run_coroutine(*args: Any) -> None:
                if loop is not None and not loop.is_closed():
                    _schedule_coroutine(loop, what, callback(*args))
                else:
                    asyncio.run(callback(*args))

            return run_coroutine
        executor = self._executor or _registry.run_executor
        if data and executor is not None:

            def submit(*args: Any) -> None:
                executor.submit(callback, *args).add_done_callback(_log_task_error(what))

            return submit
        return callback

    def _register(self, handler: str, callback: Callable[..., Any], *, events: Tuple[int, ...], media: int, data: bool) -> None:
        wrapped = self._wrap(handler, callback, data)
        if handler in ("join_confirm", "leave"):
            self._callbacks[handler] = wrapped
        else:
            self._callbacks[handler] = wrapped
            self._native.set_handler(handler, wrapped)
        if media:
            self._native.enable_media(media)
        if events:
            self._native.subscribe_events(list(events))

    on_join_confirm = _registrar("join_confirm", doc="``callback(reason: int)``: 0 when joined, else the join error code.")
    on_leave = _registrar("leave", doc="``callback(reason: int)``: the stream ended (a ``StopReason`` value).")
    on_session_update = _registrar("session_update", doc="``callback(op: int, session: Session)`` on session add/stop/pause/resume.")
    on_user_update = _registrar(
        "user_update", events=(2, 3, 4), doc="``callback(op: int, participant: Participant)``; op is USER_JOIN or USER_LEAVE."
    )
    on_participant_event = _registrar(
        "participant_event", events=(3, 4), doc="``callback(event: 'join'|'leave', timestamp: int, participants: list[dict])``."
    )
    on_active_speaker_event = _registrar(
        "active_speaker", events=(2,), doc="``callback(timestamp: int, user_id: int, user_name: str)``."
    )
    on_sharing_event = _registrar(
        "sharing", events=(5, 6), doc="``callback(event: 'start'|'stop', timestamp: int, user_id: int|None, user_name: str|None)``."
    )
    on_media_connection_interrupted = _registrar("media_connection_interrupted", events=(7,), doc="``callback(timestamp: int)``.")
    on_participant_video = _registrar("participant_video", events=(8, 9), doc="``callback(user_ids: list[int], is_on: bool)``.")
    on_video_subscribed = _registrar("video_subscribed", doc="``callback(user_id: int, status: int, error: str)``.")
    on_event_ex = _registrar("event_ex", doc="``callback(json: str)``: every meeting event, raw, besides the typed callbacks.")
    on_stream_state = _registrar("stream_state", doc="``callback(state: int, reason: int, timestamp: int)`` (not in the official SDK).")
    on_audio_data = _registrar("audio", media=1, data=True, doc="``callback(data: bytes, size: int, timestamp: int, metadata: Metadata)``.")
    on_video_data = _registrar("video", media=2, data=True, doc="``callback(data: bytes, size: int, timestamp: int, metadata: Metadata)``.")
    on_deskshare_data = _registrar(
        "deskshare", media=4, data=True, doc="``callback(data: bytes, size: int, timestamp: int, metadata: Metadata)``."
    )
    on_transcript_data = _registrar(
        "transcript", media=8, data=True, doc="``callback(data: bytes, size: int, timestamp: int, metadata: Metadata)``; data is UTF-8."
    )
    on_chat_data = _registrar(
        "chat", media=16, data=True, doc="``callback(data: bytes, size: int, timestamp: int, metadata: Metadata)`` (not in the official SDK)."
    )

    onJoinConfirm = on_join_confirm
    onLeave = on_leave
    onSessionUpdate = on_session_update
    onUserUpdate = on_user_update
    onParticipantEvent = on_participant_event
    onActiveSpeakerEvent = on_active_speaker_event
    onSharingEvent = on_sharing_event
    onMediaConnectionInterrupted = on_media_connection_interrupted
    onParticipantVideo = on_participant_video
    onVideoSubscribed = on_video_subscribed
    onEventEx = on_event_ex
    onStreamState = on_stream_state
    onAudioData = on_audio_data
    onVideoData = on_video_data
    onDeskshareData = on_deskshare_data
    onTranscriptData = on_transcript_data
    onChatData = on_chat_data

    def _wrap_callback(self, callback: Callable[..., Any]) -> Callable[..., Any]:
        """The official helper: ``callback`` as it would be dispatched (executor/asyncio)."""
        return self._wrap("data", callback, True)

    # ------------------------------------------------------------------ join / leave

    def join(
        self,
        meeting_uuid: Any = None,
        webinar_uuid: Optional[str] = None,
        session_id: Optional[str] = None,
        engagement_id: Optional[str] = None,
        rtms_stream_id: Optional[str] = None,
        server_urls: Any = None,
        signature: Optional[str] = None,
        timeout: int = -1,
        ca: Optional[str] = None,
        client: Optional[str] = None,
        secret: Optional[str] = None,
        poll_interval: int = 10,
        *,
        wait: bool = False,
        **kwargs: Any,
    ) -> bool:
        """Joins a stream.

        Call forms: keywords; a dict as the first argument (a webhook's ``payload``, or the whole
        webhook body); or positional in the official order ``(meeting_uuid, webinar_uuid,
        session_id, engagement_id, rtms_stream_id, server_urls, signature, ...)``. The seed-era
        positional form ``(meeting_uuid, rtms_stream_id, server_urls, signature)`` is recognised
        too (its third argument is a ``ws://``/``wss://`` URL, which no session id is).

        The id is the first of ``meeting_uuid``, ``webinar_uuid``, ``session_id``,
        ``engagement_id``. ``timeout`` is in ms (``-1``: 10 s). ``client``/``secret`` default to
        ZM_RTMS_CLIENT/ZM_RTMS_SECRET; ``signature`` skips computing it. ``ca`` is a PEM file
        to trust for ``wss://``. ``poll_interval`` is accepted and ignored (nothing polls).

        By default returns ``True`` at once, as the official SDK does, and the outcome reaches
        ``on_join_confirm``. With ``wait=True`` blocks until joined and raises
        :class:`rtms.RTMSError` on failure. Missing ids raise :class:`InvalidArgumentError`.
        """
        if isinstance(meeting_uuid, dict):
            params: Dict[str, Any] = dict(meeting_uuid)
            inner = params.get("payload")
            if isinstance(inner, dict) and not any(params.get(k) for k, _ in _ID_FIELDS):
                params = dict(inner)  # a whole webhook body
            if "object" in params and isinstance(params["object"], dict) and not params.get("rtms_stream_id"):
                params = {**params["object"], **params}
            # Options given beside the dict apply too (the official SDK ignores them).
            extra = dict(signature=signature, ca=ca, client=client, secret=secret, **kwargs)
            params.update({k: v for k, v in extra.items() if v is not None})
            if timeout != -1:
                params["timeout"] = timeout
        else:
            params = {
                "meeting_uuid": meeting_uuid,
                "webinar_uuid": webinar_uuid,
                "session_id": session_id,
                "engagement_id": engagement_id,
                "rtms_stream_id": rtms_stream_id,
                "server_urls": server_urls,
                "signature": signature,
                "timeout": timeout,
                "ca": ca,
                "client": client,
                "secret": secret,
            }
            params.update(kwargs)
            urlish = isinstance(session_id, str) and session_id.startswith(("ws://", "wss://"))
            if urlish and rtms_stream_id is None and server_urls is None:
                # Seed-era positional form: (meeting_uuid, rtms_stream_id, server_urls, signature).
                params.update(webinar_uuid=None, session_id=None, engagement_id=None)
                params.update(rtms_stream_id=webinar_uuid, server_urls=session_id, signature=engagement_id)

        product, instance = next(((p, params[k]) for k, p in _ID_FIELDS if params.get(k)), ("", ""))
        stream = params.get("rtms_stream_id") or ""
        urls = params.get("server_urls") or ""
        if isinstance(urls, (list, tuple)):
            urls = ",".join(urls)
        if not instance:
            raise InvalidArgumentError("join needs meeting_uuid, webinar_uuid, session_id or engagement_id")
        if not stream:
            raise InvalidArgumentError("join needs rtms_stream_id")
        if not urls:
            raise InvalidArgumentError("join needs server_urls")
        t = params.get("timeout")
        timeout_ms = int(t) if isinstance(t, (int, float)) and t > 0 else None
        ca_file = params.get("ca") or _default_ca
        if ca_file:
            self._native.set_ca_file(os.fspath(ca_file))

        self._uuid, self._stream_id = str(instance), str(stream)
        self._start()
        try:
            self._native.join(
                product,
                str(instance),
                str(stream),
                str(urls),
                params.get("signature") or None,
                params.get("client") or None,
                params.get("secret") or None,
                timeout_ms,
                wait,
            )
        except BaseException:
            self._finish()
            raise
        return True

    def leave(self) -> bool:
        """Leaves the stream (``STREAM_CLOSE_REQ``, bounded wait for the server). ``on_leave``
        follows on the dispatcher thread. Safe from any thread, including inside a callback.
        Returns ``True`` when a stream was left, ``False`` when none was joined."""
        if self._webhook_server is not None:
            self._webhook_server.stop()
            self._webhook_server = None
        if self._active and not self._native.is_joined():
            # Still joining: leave as soon as the join is confirmed.
            self._leave_requested = True
            return True
        try:
            return bool(self._native.leave())
        except RTMSError as e:
            _log.error("leave failed: %s", e)
            return False

    def stop(self) -> bool:
        """Alias of :meth:`leave`."""
        return self.leave()

    def release(self) -> bool:
        """Alias of :meth:`leave` (the official native release)."""
        return self.leave()

    def wait(self, timeout: Optional[float] = None) -> bool:
        """Blocks until the session is over and ``on_leave`` (or a failed ``on_join_confirm``)
        was delivered; ``False`` after ``timeout`` seconds. Not in the official SDK."""
        return self._done.wait(timeout)

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *_: Any) -> Literal[False]:
        self.leave()
        return False

    # ------------------------------------------------------------------ settings

    def set_audio_params(self, params: Any = None, **kwargs: Any) -> None:
        """Sets audio params (an ``AudioParams``, a dict, or keywords in either case)."""
        p = AudioParams._coerce(params, **kwargs)
        self._native.set_audio_params(p.content_type, p.codec, p.sample_rate, p.channel, p.data_opt, p.duration)

    def set_video_params(self, params: Any = None, **kwargs: Any) -> None:
        """Sets video params (a ``VideoParams``, a dict, or keywords)."""
        p = VideoParams._coerce(params, **kwargs)
        self._native.set_video_params(p.content_type, p.codec, p.resolution, p.data_opt, p.fps)

    def set_deskshare_params(self, params: Any = None, **kwargs: Any) -> None:
        """Sets screen-share params (a ``DeskshareParams``, a dict, or keywords)."""
        p = DeskshareParams._coerce(params, **kwargs)
        self._native.set_deskshare_params(p.content_type, p.codec, p.resolution, p.fps)

    def set_transcript_params(self, params: Any = None, **kwargs: Any) -> None:
        """Sets transcript params (a ``TranscriptParams``, a dict, or keywords)."""
        p = TranscriptParams._coerce(params, **kwargs)
        self._native.set_transcript_params(p.content_type, p.src_language, bool(p.enable_lid))

    def set_chat_params(self, params: Any = None, **kwargs: Any) -> None:
        """Sets chat params (not in the official SDK)."""
        p = ChatParams._coerce(params, **kwargs)
        self._native.set_chat_params(p.content_type)

    setAudioParams = set_audio_params
    setVideoParams = set_video_params
    setDeskshareParams = set_deskshare_params
    setTranscriptParams = set_transcript_params
    setChatParams = set_chat_params

    def _enable(self, mask: int, enable: bool) -> None:
        if enable:
            self._native.enable_media(mask)
        else:
            self._native.disable_media(mask)

    def enable_audio(self, enable: bool = True) -> None:
        """Turns audio on or off."""
        self._enable(1, enable)

    def enable_video(self, enable: bool = True) -> None:
        """Turns video on or off."""
        self._enable(2, enable)

    def enable_deskshare(self, enable: bool = True) -> None:
        """Turns screen share on or off."""
        self._enable(4, enable)

    def enable_transcript(self, enable: bool = True) -> None:
        """Turns transcripts on or off."""
        self._enable(8, enable)

    def enable_chat(self, enable: bool = True) -> None:
        """Turns chat on or off (not in the official SDK)."""
        self._enable(16, enable)

    enableAudio = enable_audio
    enableVideo = enable_video
    enableDeskshare = enable_deskshare
    enableTranscript = enable_transcript

    def set_proxy(self, proxy_type: str, proxy_url: str) -> None:
        """Routes connections through an HTTP proxy (``set_proxy("http", "http://host:port")``;
        a URL without scheme gets ``proxy_type://``)."""
        url = proxy_url if "://" in proxy_url else f"{proxy_type}://{proxy_url}"
        self._native.set_proxy(url)

    setProxy = set_proxy

    def subscribe_event(self, events: List[int]) -> bool:
        """Subscribes to event types (``EVENT_*``); sent at join, or at once when joined."""
        self._native.subscribe_events([int(e) for e in events])
        return True

    def unsubscribe_event(self, events: List[int]) -> bool:
        """Unsubscribes from event types."""
        self._native.unsubscribe_events([int(e) for e in events])
        return True

    subscribeEvent = subscribe_event
    unsubscribeEvent = unsubscribe_event

    def subscribe_video(self, user_id: int, subscribe: bool = True) -> None:
        """Subscribes to (or stops) one participant's video (``VIDEO_SINGLE_INDIVIDUAL_STREAM``);
        the answer reaches ``on_video_subscribed``. Raises ``InvalidStateError`` when not joined."""
        self._native.subscribe_video(int(user_id), bool(subscribe))

    subscribeVideo = subscribe_video

    # ------------------------------------------------------------------ state

    def uuid(self) -> str:
        """The instance id of the last join (``''`` before)."""
        return self._uuid

    def stream_id(self) -> str:
        """The stream id of the last join (``''`` before)."""
        return self._stream_id

    streamId = stream_id

    def is_joined(self) -> bool:
        """True while a stream is joined (not in the official SDK)."""
        return bool(self._native.is_joined())

    # Official compatibility shims: nothing to poll, allocate or queue here.
    def poll(self) -> None:
        """No-op: events are pushed to callbacks, nothing polls."""

    def alloc(self) -> None:
        """No-op (the official SDK allocates a native handle lazily)."""

    def is_allocated(self) -> bool:
        """Always ``True``."""
        return True

    def _process_join_queue(self) -> None:
        """No-op: joins start at once (the seed-era loop keeps working)."""

    def _poll_if_needed(self) -> None:
        """No-op: events are pushed, nothing polls (the seed-era loop keeps working)."""

    @staticmethod
    def initialize(ca_path: Optional[str] = None, is_verify_cert: int = 1, agent: Optional[str] = None) -> None:
        """Sets the default CA file for joins (``ca_path``); nothing else to initialise."""
        global _default_ca
        if ca_path:
            _default_ca = ca_path

    @staticmethod
    def uninitialize() -> None:
        """No-op."""

    # ------------------------------------------------------------------ webhooks

    @overload
    def on_webhook_event(self, callback: _F, port: Optional[int] = None, path: Optional[str] = None) -> _F: ...

    @overload
    def on_webhook_event(self, callback: None = None, port: Optional[int] = None, path: Optional[str] = None) -> Callable[[_F], _F]: ...

    def on_webhook_event(
        self, callback: Optional[_F] = None, port: Optional[int] = None, path: Optional[str] = None
    ) -> Union[_F, Callable[[_F], _F]]:
        """A webhook server owned by this client (stopped by :meth:`leave`); the same forms as
        ``rtms.on_webhook_event``: ``@client.on_webhook_event()``, ``@client.on_webhook_event``,
        ``client.on_webhook_event(fn, port=...)``."""
        from .webhook import WebhookServer

        def start(func: _F) -> _F:
            if self._webhook_server is None:
                self._webhook_server = WebhookServer(port=port, path=path)
            self._webhook_server.start(func)
            return func

        if callback is not None and callable(callback):
            return start(callback)
        return start

    onWebhookEvent = on_webhook_event

    def __repr__(self) -> str:
        state = "joined" if self.is_joined() else ("joining" if self._active else "idle")
        return f"<rtms.Client {state} uuid={self._uuid!r} stream_id={self._stream_id!r}>"
